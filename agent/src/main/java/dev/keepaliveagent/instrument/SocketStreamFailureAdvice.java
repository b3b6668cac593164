package dev.keepaliveagent.instrument;

import dev.keepaliveagent.boot.Switchboard;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the end of {@code java.net.SocketOutputStream.socketWrite(byte[], int, int)} on JDK 11
 * and 12, where every write of a {@code java.net.Socket} reaches the kernel; the stream knows its
 * socket by its {@code impl}. The success path is one null check.
 */
final class SocketStreamFailureAdvice {

    private SocketStreamFailureAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(@Advice.FieldValue("impl") Object socketImpl, @Advice.Thrown Throwable thrown) {
        if (thrown != null) {
            Switchboard.socketImplIoFailed(socketImpl, thrown);
        }
    }
}
