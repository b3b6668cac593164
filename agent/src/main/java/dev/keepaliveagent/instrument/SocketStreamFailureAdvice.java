package dev.keepaliveagent.instrument;

import dev.keepaliveagent.boot.Switchboard;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the end of {@code java.net.SocketInputStream.socketRead} and {@code
 * SocketOutputStream.socketWrite} on JDK 8 to 12, where every read and write of a {@code
 * java.net.Socket} reaches the kernel; the stream knows its socket by its {@code impl}, whose fields
 * name the peer even after the kernel closed the connection. The success path is one null check.
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
