package dev.keepaliveagent.instrument;

import dev.keepaliveagent.boot.Switchboard;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the end of {@code doRegister} of a Netty native channel. Netty registers an accepted
 * channel after it has set the app's child options on it, so this is where the agent configures
 * accepted connections: the app's own choices are already visible.
 */
final class ChannelRegisterAdvice {

    private ChannelRegisterAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.This Object channel) {
        Switchboard.channelRegistered(channel);
    }
}
