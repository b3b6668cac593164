package dev.keepaliveagent.jdk;

import dev.keepaliveagent.config.KeepaliveOption;
import java.io.FileDescriptor;
import dev.keepaliveagent.diagnose.TcpState;
import java.io.IOException;
import java.net.InetSocketAddress;


/**
 * The JDK's way to a socket's options, through its own internals: the tuner's {@link
 * OptionSetter} in production. One place for each JDK family's way of reaching a
 * socket's descriptor and options ({@link SocketOptionWriter}, {@link SocketImplFields},
 * {@link SocketAddresses}).
 */
public final class JdkSockets implements OptionSetter {

    /**
     * Looked up when the first connection is configured, not at start-up: resolving them loads and
     * initialises {@code sun.nio.ch.Net}, which a JVM that never opens a socket does not need.
     */
    static final class Internals {
        static final SocketOptionWriter OPTION_WRITER = new SocketOptionWriter();
        static final SocketImplFields SOCKET_IMPL_FIELDS = new SocketImplFields();
        static final SocketAddresses SOCKET_ADDRESSES = new SocketAddresses();

        private Internals() {
        }
    }

    /** The connection's state as the kernel has it. @throws IOException once the kernel no longer has the socket */
    public static TcpState tcpState(FileDescriptor fd) throws IOException {
        return Internals.OPTION_WRITER.tcpState(fd);
    }

    /** {@code getsockname}. @throws java.io.IOException once the socket is closed */
    public static InetSocketAddress localAddress(FileDescriptor fd) throws Throwable {
        return Internals.SOCKET_ADDRESSES.local(fd);
    }

    /** A {@code java.net.SocketImpl}'s descriptor (JDK 8 to 12, and an accepted socket's impl on any); null for a custom impl's. */
    public static FileDescriptor fdOf(Object socketImpl) throws Throwable {
        return Internals.SOCKET_IMPL_FIELDS.fd(socketImpl);
    }

    /** A {@code java.net.SocketImpl}'s peer. */
    public static InetSocketAddress remoteOf(Object socketImpl) throws Throwable {
        return Internals.SOCKET_IMPL_FIELDS.remote(socketImpl);
    }

    /** A {@code java.net.SocketImpl}'s local port. */
    public static int localPortOf(Object socketImpl) throws Throwable {
        return Internals.SOCKET_IMPL_FIELDS.localPort(socketImpl);
    }

    @Override
    public void set(FileDescriptor fd, KeepaliveOption option, int value) throws IOException {
        Internals.OPTION_WRITER.set(fd, option, value);
    }

    @Override
    public void switchKeepaliveOn(FileDescriptor fd) throws IOException {
        Internals.OPTION_WRITER.switchKeepaliveOn(fd);
    }

    @Override
    public boolean isOpenIpSocket(FileDescriptor fd) {
        return Internals.OPTION_WRITER.isIpSocket(fd);
    }

    @Override
    public int get(FileDescriptor fd, int level, int option) throws IOException {
        return Internals.OPTION_WRITER.getInt(fd, level, option);
    }
}
