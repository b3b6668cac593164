package dev.keepaliveagent.netty.fake.channel;

/** Netty's {@code ChannelConfig}, erased as the agent sees it. */
public interface ChannelConfig {
    boolean setOption(ChannelOption option, Object value);

    Object getOption(ChannelOption option);
}
