package dev.keepaliveagent.instrument;

import dev.keepaliveagent.boot.Switchboard;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the end of {@code java.net.Socket.postAccept()} (JDK 8 to 18), which {@code
 * ServerSocket.implAccept} calls once the Socket holds the accepted connection: its {@code impl}
 * then names the descriptor and the peer.
 */
final class PostAcceptAdvice {

    private PostAcceptAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.FieldValue("impl") Object accepted) {
        Switchboard.socketImplAccepted(accepted);
    }
}
