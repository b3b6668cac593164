package dev.keepaliveagent.instrument;

import dev.keepaliveagent.boot.Switchboard;
import java.io.FileDescriptor;
import java.net.InetSocketAddress;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the end of {@code sun.nio.ch.SocketChannelImpl(SelectorProvider, FileDescriptor,
 * InetSocketAddress)} on JDK 8 to 12, the constructor their {@code ServerSocketChannelImpl.accept()}
 * makes an accepted channel with: called anew after each accept returns, even from an accept that
 * began before the hooks were live and so runs the JDK's old code to its end.
 */
final class AcceptedChannelAdvice {

    private AcceptedChannelAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.Argument(1) FileDescriptor fd, @Advice.Argument(2) InetSocketAddress remote) {
        Switchboard.accepted(fd, remote, null);
    }
}
