package dev.keepaliveagent.netty;

import dev.keepaliveagent.config.KeepaliveOption;
import java.lang.reflect.Method;
import java.net.SocketAddress;

/**
 * Netty's API for one native transport in one class loader, reached by reflection: the agent has
 * no compile-time dependency on Netty, and the same code serves Netty 4.1 and 4.2, epoll and
 * io_uring, and shaded copies ({@code io.grpc.netty.shaded.io.netty}). Found once per channel class.
 */
final class ChannelAccess {

    /** "epoll" or "io_uring". */
    final String transport;
    private final Method config;
    private final Method parent;
    private final Method remoteAddress;
    private final Method localAddress;
    private final Method isOpen;
    private final Method setOption;
    private final Method getOption;
    private final Method tcpInfo;
    final Object keepalive;
    /** Netty's option for each {@link KeepaliveOption} by its index; null where this Netty has none. */
    private final Object[] options;

    private ChannelAccess(String transport, Class<?> channelClass, String netty, String optionClass) throws ReflectiveOperationException {
        this.transport = transport;
        ClassLoader loader = channelClass.getClassLoader();
        Class<?> channel = Class.forName(netty + ".channel.Channel", false, loader);
        Class<?> channelConfig = Class.forName(netty + ".channel.ChannelConfig", false, loader);
        Class<?> channelOption = Class.forName(netty + ".channel.ChannelOption", false, loader);
        Class<?> transportOption = Class.forName(optionClass, false, loader);
        config = channel.getMethod("config");
        parent = channel.getMethod("parent");
        remoteAddress = channel.getMethod("remoteAddress");
        localAddress = channel.getMethod("localAddress");
        isOpen = channel.getMethod("isOpen");
        setOption = channelConfig.getMethod("setOption", channelOption, Object.class);
        getOption = channelConfig.getMethod("getOption", channelOption);
        keepalive = channelOption.getField("SO_KEEPALIVE").get(null);
        options = new Object[KeepaliveOption.all().size()];
        for (KeepaliveOption option : KeepaliveOption.all()) {
            options[option.index()] = optionField(transportOption, option.nettyField());
        }
        tcpInfo = publicMethod(channelClass, "tcpInfo");
    }

    /** The access for a channel of a native transport, or null if {@code channelClass} is none. */
    static ChannelAccess of(Class<?> channelClass) throws ReflectiveOperationException {
        String name = channelClass.getName();
        int epoll = name.indexOf(".channel.epoll.");
        if (epoll > 0) {
            String netty = name.substring(0, epoll);
            return new ChannelAccess("epoll", channelClass, netty, netty + ".channel.epoll.EpollChannelOption");
        }
        int uring = name.indexOf(".channel.uring.");
        if (uring > 0) {
            String netty = name.substring(0, uring);
            return new ChannelAccess("io_uring", channelClass, netty, netty + ".channel.uring.IoUringChannelOption");
        }
        return null;
    }

    /** Netty's option for {@code option}, or null where this Netty version (or Netty at all) has none. */
    Object option(KeepaliveOption option) {
        return options[option.index()];
    }

    /**
     * A transport option class's field; null where this Netty lacks it, so that a version without one
     * option still gets the others. The class's static fields include ChannelOption's, which it extends.
     */
    private static Object optionField(Class<?> transportOption, String name) {
        if (name == null) {
            return null;
        }
        try {
            return transportOption.getField(name).get(null);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError notInThisVersion) {
            return null;
        }
    }

    Object parent(Object channel) throws ReflectiveOperationException {
        return parent.invoke(channel);
    }

    SocketAddress remoteAddress(Object channel) throws ReflectiveOperationException {
        return (SocketAddress) remoteAddress.invoke(channel);
    }

    SocketAddress localAddress(Object channel) throws ReflectiveOperationException {
        return (SocketAddress) localAddress.invoke(channel);
    }

    /** True if Netty says the channel is open, or if that cannot be known. */
    boolean isOpen(Object channel) {
        try {
            return (Boolean) isOpen.invoke(channel);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return true;
        }
    }

    /** The channel's config, where the app sets its options. */
    Object config(Object channel) throws ReflectiveOperationException {
        return config.invoke(channel);
    }

    /** Sets a channel option through Netty; false if Netty says the channel does not support it. */
    boolean set(Object channel, Object option, Object value) throws ReflectiveOperationException {
        return (Boolean) setOption.invoke(config.invoke(channel), option, value);
    }

    Object get(Object channel, Object option) throws ReflectiveOperationException {
        return getOption.invoke(config.invoke(channel), option);
    }

    /**
     * The connection's state, retransmissions and unanswered probes as the kernel has them (epoll's
     * TCP_INFO, through Netty's {@code EpollTcpInfo}); null where unknown (io_uring, or a socket gone).
     */
    dev.keepaliveagent.diagnose.TcpState tcpState(Object channel) {
        if (tcpInfo == null) {
            return null;
        }
        try {
            Object info = tcpInfo.invoke(channel);
            Class<?> type = info.getClass();
            return dev.keepaliveagent.diagnose.TcpState.of(((Number) type.getMethod("state").invoke(info)).intValue(),
                    ((Number) type.getMethod("retransmits").invoke(info)).intValue(),
                    ((Number) type.getMethod("probes").invoke(info)).intValue());
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // the channel's socket is closed already: the exception alone tells the cause
        }
    }

    private static Method publicMethod(Class<?> type, String name) {
        try {
            Method method = type.getMethod(name);
            return method.getDeclaringClass().getName().contains(".channel.epoll.") ? method : null;
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
