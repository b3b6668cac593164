package dev.keepaliveagent.instrument;

import dev.keepaliveagent.boot.Switchboard;
import java.io.FileDescriptor;
import java.net.SocketAddress;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the start of {@code finishAccept(FileDescriptor, SocketAddress…)} of
 * {@code ServerSocketChannelImpl} (blocking, non-blocking and the {@code socket()} adaptor) and of
 * {@code UnixAsynchronousServerSocketChannelImpl}: the new connection's descriptor and its peer.
 */
final class ChannelAcceptAdvice {

    private ChannelAcceptAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.Argument(0) FileDescriptor fd, @Advice.Argument(1) SocketAddress remote,
                      @Advice.This Object listener) {
        Switchboard.accepted(fd, remote, listener);
    }
}
