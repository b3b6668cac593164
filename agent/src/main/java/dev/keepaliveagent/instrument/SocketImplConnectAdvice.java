package dev.keepaliveagent.instrument;

import dev.keepaliveagent.boot.Switchboard;
import java.io.FileDescriptor;
import java.net.InetAddress;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the end of {@code java.net.AbstractPlainSocketImpl.doConnect(InetAddress, int, int)} on
 * JDK 11 and 12, where every {@code java.net.Socket} connect ends once the handshake is done.
 */
final class SocketImplConnectAdvice {

    private SocketImplConnectAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(@Advice.FieldValue("fd") FileDescriptor fd,
                     @Advice.Argument(0) InetAddress remote,
                     @Advice.Argument(1) int port,
                     @Advice.Thrown Throwable thrown) {
        if (thrown == null) {
            Switchboard.connected(fd, remote, port);
        }
    }
}
