package dev.keepaliveagent.netty.fake.channel.epoll;

import dev.keepaliveagent.netty.fake.channel.Channel;
import dev.keepaliveagent.netty.fake.channel.ChannelConfig;
import dev.keepaliveagent.netty.fake.channel.ChannelOption;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * A client channel of a native transport whose socket is played by a map: one that keeps what is set,
 * or one that takes every option and keeps the kernel's defaults (what a Netty with unexpected
 * internals could do).
 */
public final class FakeEpollSocketChannel implements Channel, ChannelConfig {

    private static final Map<String, Object> KERNEL_DEFAULTS = Map.of("SO_KEEPALIVE", false, "TCP_KEEPIDLE", 7200,
            "TCP_KEEPINTVL", 75, "TCP_KEEPCNT", 9, "TCP_USER_TIMEOUT", 0);

    private final boolean dropsOptions;
    private final Map<String, Object> socket = new HashMap<>(KERNEL_DEFAULTS);
    public int reads;

    public FakeEpollSocketChannel(boolean dropsOptions) {
        this.dropsOptions = dropsOptions;
    }

    @Override
    public boolean setOption(ChannelOption option, Object value) {
        if (!dropsOptions) {
            socket.put(option.name, value);
        }
        return true;
    }

    @Override
    public Object getOption(ChannelOption option) {
        reads++;
        return socket.get(option.name);
    }

    @Override
    public ChannelConfig config() {
        return this;
    }

    @Override
    public Channel parent() {
        return null;
    }

    @Override
    public SocketAddress remoteAddress() {
        return new InetSocketAddress("127.0.0.1", 5432);
    }

    @Override
    public SocketAddress localAddress() {
        return new InetSocketAddress("127.0.0.1", 40000);
    }

    @Override
    public boolean isOpen() {
        return true;
    }
}
