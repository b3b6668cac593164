package dev.keepaliveagent.instrument;

import dev.keepaliveagent.boot.Switchboard;
import java.io.FileDescriptor;
import java.net.InetAddress;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the end of {@code sun.nio.ch.Net.connect(ProtocolFamily, FileDescriptor, InetAddress,
 * int)}, where every TCP connect of the JDK passes: {@code Socket}, {@code SocketChannel} (blocking
 * or not) and {@code AsynchronousSocketChannel}. A non-blocking connect returns before the
 * handshake ends; options set then still apply once it completes.
 */
final class ConnectAdvice {

    private ConnectAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(@Advice.Argument(1) FileDescriptor fd,
                     @Advice.Argument(2) InetAddress remote,
                     @Advice.Argument(3) int port,
                     @Advice.Thrown Throwable thrown) {
        if (thrown == null) {
            Switchboard.connected(fd, remote, port);
        }
    }
}
