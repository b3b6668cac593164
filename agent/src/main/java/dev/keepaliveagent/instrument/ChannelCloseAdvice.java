package dev.keepaliveagent.instrument;

import dev.keepaliveagent.boot.Switchboard;
import net.bytebuddy.asm.Advice;

/** Inlined at the start of {@code doClose} of a Netty native channel, so that the agent forgets it at once. */
final class ChannelCloseAdvice {

    private ChannelCloseAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object channel) {
        Switchboard.channelClosing(channel);
    }
}
