package dev.keepaliveagent.instrument;

import dev.keepaliveagent.boot.Switchboard;
import java.io.FileDescriptor;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the end of {@code sun.nio.ch.SocketDispatcher.read/readv/write/writev}, where every
 * read and write of a JDK TCP socket reaches the kernel: {@code Socket} streams, {@code SocketChannel}
 * (scattering and gathering too) and the asynchronous channels. Errors raised here come from the
 * kernel; the app's own close, read timeouts and interrupts are raised above this level and never
 * pass. The success path is one null check.
 */
final class IoFailureAdvice {

    private IoFailureAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(@Advice.Argument(0) FileDescriptor fd, @Advice.Thrown Throwable thrown) {
        if (thrown != null) {
            Switchboard.ioFailed(fd, thrown);
        }
    }
}
