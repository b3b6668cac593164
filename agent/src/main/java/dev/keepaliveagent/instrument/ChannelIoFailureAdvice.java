package dev.keepaliveagent.instrument;

import dev.keepaliveagent.boot.Switchboard;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the end of the read and write methods of Netty's epoll channels, where the kernel's
 * errors surface as Netty's {@code NativeIoException}, before the pipeline sees them.
 */
final class ChannelIoFailureAdvice {

    private ChannelIoFailureAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(@Advice.This Object channel, @Advice.Thrown Throwable thrown) {
        if (thrown != null) {
            Switchboard.channelIoFailed(channel, thrown);
        }
    }
}
