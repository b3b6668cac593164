package dev.keepaliveagent.instrument;

import dev.keepaliveagent.boot.Switchboard;
import java.net.SocketImpl;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the end of {@code java.net.Socket.setConnectedImpl(SocketImpl)} (JDK 19 on), with which
 * {@code ServerSocket.implAccept} hands the Socket its accepted connection.
 */
final class ConnectedImplAdvice {

    private ConnectedImplAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.Argument(0) SocketImpl accepted) {
        Switchboard.socketImplAccepted(accepted);
    }
}
