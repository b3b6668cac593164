package dev.keepaliveagent.netty;

import dev.keepaliveagent.config.Settings;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;

/** What the agent knows of one Netty channel it configured. Holds no reference to the channel. */
final class TunedChannel {

    final InetSocketAddress remote;
    final String how;
    final Settings applied;
    final long configuredAtNanos;
    private final AtomicBoolean deathReported = new AtomicBoolean();

    TunedChannel(InetSocketAddress remote, String how, Settings applied, long configuredAtNanos) {
        this.remote = remote;
        this.how = how;
        this.applied = applied;
        this.configuredAtNanos = configuredAtNanos;
    }

    /** True the first time only: a connection dies once, however many of its reads and writes fail. */
    boolean markDead() {
        return deathReported.compareAndSet(false, true);
    }
}
