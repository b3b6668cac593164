package dev.keepaliveagent.netty.fake.channel;

import java.net.SocketAddress;

/** Netty's {@code Channel}, as much of it as the agent calls: a fake for {@code NettyTunerTest}. */
public interface Channel {
    ChannelConfig config();

    Channel parent();

    SocketAddress remoteAddress();

    SocketAddress localAddress();

    boolean isOpen();
}
