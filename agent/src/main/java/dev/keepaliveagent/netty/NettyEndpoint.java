package dev.keepaliveagent.netty;

import dev.keepaliveagent.config.KeepaliveOption;
import dev.keepaliveagent.diagnose.TcpState;
import dev.keepaliveagent.lifecycle.Endpoint;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** A channel of Netty's native transports, reached through Netty's own channel options ({@code setsockopt} in Netty's C). */
final class NettyEndpoint implements Endpoint {

    private final Object channel;
    private final ChannelAccess netty;

    NettyEndpoint(Object channel, ChannelAccess netty) {
        this.channel = channel;
        this.netty = netty;
    }

    /** Every option is tried: one this Netty lacks is refused, and said once. */
    @Override
    public boolean canSet(KeepaliveOption option) {
        return true;
    }

    @Override
    public boolean appCanSet(KeepaliveOption option) {
        return netty.option(option) != null;
    }

    @Override
    public void set(KeepaliveOption option, int value) throws Exception {
        Object nettyOption = netty.option(option);
        if (nettyOption == null) {
            throw new UnsupportedOperationException("Netty (this version at least) has no channel option for it");
        }
        set(nettyOption, value);
    }

    @Override
    public void switchKeepaliveOn() throws Exception {
        set(netty.keepalive, Boolean.TRUE);
    }

    private void set(Object nettyOption, Object value) throws Exception {
        boolean taken;
        try {
            taken = netty.set(channel, nettyOption, value);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
        }
        if (!taken) {
            throw new UnsupportedOperationException(channel.getClass().getName() + " does not support it");
        }
    }

    @Override
    public boolean keepaliveOn() throws IOException {
        return Boolean.TRUE.equals(read(netty.keepalive, "SO_KEEPALIVE"));
    }

    @Override
    public int get(KeepaliveOption option) throws IOException {
        Object value = read(netty.option(option), option.kernelName());
        return value instanceof Integer ? (Integer) value : 0;
    }

    private Object read(Object nettyOption, String name) throws IOException {
        try {
            return netty.get(channel, nettyOption);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IOException("reading " + name + " through Netty", e);
        }
    }

    @Override
    public boolean isOpen() {
        return netty.isOpen(channel);
    }

    @Override
    public InetSocketAddress local() {
        try {
            SocketAddress local = netty.localAddress(channel);
            return local instanceof InetSocketAddress ? (InetSocketAddress) local : null;
        } catch (ReflectiveOperationException | RuntimeException gone) {
            return null;
        }
    }

    @Override
    public TcpState tcpState() {
        return netty.tcpState(channel);
    }

    @Override
    public String setter() {
        return "Netty (" + netty.transport + ")";
    }
}
