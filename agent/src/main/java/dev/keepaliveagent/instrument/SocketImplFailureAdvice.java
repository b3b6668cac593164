package dev.keepaliveagent.instrument;

import dev.keepaliveagent.boot.Switchboard;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the end of {@code sun.nio.ch.NioSocketImpl.read/write(byte[], int, int)} (JDK 13 on),
 * the streams of a {@code java.net.Socket}. {@code SocketDispatcher} below has seen the failure
 * already, with the descriptor alone; this one tells the {@code SocketImpl}, whose fields name the
 * peer even after the kernel closed the connection: it reports a connection no hook saw begin (an
 * accept under way when the hooks went live returned it). The success path is one null check.
 */
final class SocketImplFailureAdvice {

    private SocketImplFailureAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(@Advice.This Object socketImpl, @Advice.Thrown Throwable thrown) {
        if (thrown != null) {
            Switchboard.socketImplIoFailed(socketImpl, thrown);
        }
    }
}
