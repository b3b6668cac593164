package dev.keepaliveagent.netty.fake.channel.epoll;

import dev.keepaliveagent.netty.fake.channel.ChannelOption;

/** Netty's {@code EpollChannelOption}: the TCP options of the native transport. */
public final class EpollChannelOption extends ChannelOption {
    public static final ChannelOption TCP_KEEPIDLE = new EpollChannelOption("TCP_KEEPIDLE");
    public static final ChannelOption TCP_KEEPINTVL = new EpollChannelOption("TCP_KEEPINTVL");
    public static final ChannelOption TCP_KEEPCNT = new EpollChannelOption("TCP_KEEPCNT");
    public static final ChannelOption TCP_USER_TIMEOUT = new EpollChannelOption("TCP_USER_TIMEOUT");

    private EpollChannelOption(String name) {
        super(name);
    }
}
