package dev.keepaliveagent.jdk;

import dev.keepaliveagent.diagnose.TcpState;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A TCP socket of this process as its descriptor alone tells it: the kernel's state ({@code TCP_INFO})
 * and its addresses ({@code getsockname}, {@code getpeername}). A few system calls on the descriptor
 * itself, whatever else the host has open: the kernel's tables, which list every connection of the
 * network namespace, are not read.
 */
public final class DescribedSocket {

    public final TcpState kernel;
    public final InetSocketAddress local;
    /** Null while it listens or connects: the kernel names a peer once the connection is established. */
    public final InetSocketAddress remote;

    private DescribedSocket(TcpState kernel, InetSocketAddress local, InetSocketAddress remote) {
        this.kernel = kernel;
        this.local = local;
        this.remote = remote;
    }

    /** The TCP socket over IPv4 or IPv6 behind {@code fd}; null for anything else, or once it is closed. */
    public static DescribedSocket of(FileDescriptor fd) throws Throwable {
        if (!JdkSockets.Internals.OPTION_WRITER.isTcpSocket(fd)) {
            return null;
        }
        TcpState kernel;
        InetSocketAddress local;
        try {
            kernel = JdkSockets.Internals.OPTION_WRITER.tcpState(fd);
            local = JdkSockets.Internals.SOCKET_ADDRESSES.local(fd);
        } catch (IOException closed) {
            return null;
        }
        if (local == null) {
            return null;
        }
        InetSocketAddress remote = null;
        if (kernel.established()) {
            try {
                remote = JdkSockets.Internals.SOCKET_ADDRESSES.remote(fd);
            } catch (IOException closedMeanwhile) {
                return null;
            }
            if (remote == null) {
                return null;
            }
        }
        return new DescribedSocket(kernel, local, remote);
    }
}
