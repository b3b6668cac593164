package dev.keepaliveagent.netty.fake.channel;

/** Netty's {@code ChannelOption}: a name. */
public class ChannelOption {
    public static final ChannelOption SO_KEEPALIVE = new ChannelOption("SO_KEEPALIVE");

    public final String name;

    protected ChannelOption(String name) {
        this.name = name;
    }
}
