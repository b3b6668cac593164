package dev.keepaliveagent.instrument;

import dev.keepaliveagent.boot.Switchboard;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the end of {@code sun.nio.ch.ServerSocketChannelImpl.accept()} on JDK 11 and 12, which
 * have no {@code finishAccept}: the returned channel is the accepted connection (null when a
 * non-blocking accept found none).
 */
final class ChannelAcceptedAdvice {

    private ChannelAcceptedAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.Return Object accepted, @Advice.This Object listener) {
        Switchboard.channelAccepted(accepted, listener);
    }
}
