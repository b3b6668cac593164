package dev.keepaliveagent.tune;

import dev.keepaliveagent.config.KeepaliveOption;
import java.io.FileDescriptor;
import java.io.IOException;


/**
 * The JDK's way to a socket's options, through its own internals: the tuner's {@link
 * SocketTuner.OptionSetter} in production. One place for each JDK family's way of reaching a
 * socket's descriptor and options ({@link SocketOptionWriter}, {@link SocketImplFields},
 * {@link SocketAddresses}).
 */
final class JdkSockets implements SocketTuner.OptionSetter {

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
