package dev.keepaliveagent.instrument;

import dev.keepaliveagent.boot.Switchboard;
import java.net.SocketImpl;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the end of {@code sun.nio.ch.NioSocketImpl.accept(SocketImpl)}, which every
 * {@code ServerSocket.accept()} reaches; the argument then holds the accepted connection.
 */
final class SocketImplAcceptAdvice {

    private SocketImplAcceptAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(@Advice.Argument(0) SocketImpl accepted, @Advice.This Object listener,
                     @Advice.Thrown Throwable thrown) {
        if (thrown == null) {
            Switchboard.socketImplAccepted(accepted, listener);
        }
    }
}
