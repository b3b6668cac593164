package dev.keepaliveagent.tune;

import dev.keepaliveagent.boot.Switchboard;
import dev.keepaliveagent.config.KeepaliveOption;
import dev.keepaliveagent.diagnose.TcpState;
import dev.keepaliveagent.jdk.JdkSocketOptions;
import dev.keepaliveagent.jdk.JdkSockets;
import dev.keepaliveagent.jdk.OptionAvailability;
import dev.keepaliveagent.jdk.OptionSetter;
import dev.keepaliveagent.jdk.SocketOptionWriter;
import dev.keepaliveagent.lifecycle.Endpoint;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.InetSocketAddress;

/** A JDK socket, reached through its descriptor and the tuner's seam to the kernel (where tests play the kernel). */
final class JdkEndpoint implements Endpoint {

    private final FileDescriptor fd;
    private final OptionSetter kernel;
    private final OptionAvailability availability;

    JdkEndpoint(FileDescriptor fd, OptionSetter kernel, OptionAvailability availability) {
        this.fd = fd;
        this.kernel = kernel;
        this.availability = availability;
    }

    @Override
    public boolean canSet(KeepaliveOption option) {
        return availability.isAvailable(option);
    }

    @Override
    public boolean appCanSet(KeepaliveOption option) {
        return JdkSocketOptions.of(option) != null;
    }

    @Override
    public void set(KeepaliveOption option, int value) throws IOException {
        kernel.set(fd, option, value);
    }

    @Override
    public void switchKeepaliveOn() throws IOException {
        kernel.switchKeepaliveOn(fd);
    }

    @Override
    public boolean keepaliveOn() throws IOException {
        return kernel.get(fd, SocketOptionWriter.SOL_SOCKET, SocketOptionWriter.SO_KEEPALIVE) != 0;
    }

    @Override
    public int get(KeepaliveOption option) throws IOException {
        return kernel.get(fd, option.level(), option.linuxNumber());
    }

    @Override
    public boolean isOpen() {
        return fd.valid() && kernel.isOpenIpSocket(fd);
    }

    @Override
    public InetSocketAddress local() {
        try {
            return JdkSockets.localAddress(fd);
        } catch (IOException gone) {
            return null; // shown as "?"; the line matters more than this detail
        } catch (Throwable t) {
            Switchboard.suppressed("reading a failed connection's local address", t);
            return null;
        }
    }

    /** Null once the kernel no longer has the socket: the cause is then told by the exception alone. */
    @Override
    public TcpState tcpState() {
        try {
            return JdkSockets.tcpState(fd);
        } catch (IOException gone) {
            return null;
        } catch (Throwable t) {
            Switchboard.suppressed("reading a failed connection's TCP state", t);
            return null;
        }
    }

    @Override
    public String setter() {
        return THE_PLATFORM;
    }
}
