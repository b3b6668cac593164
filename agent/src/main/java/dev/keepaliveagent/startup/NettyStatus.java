package dev.keepaliveagent.startup;

import dev.keepaliveagent.instrument.Instrumenter;
import dev.keepaliveagent.netty.NettyTuner;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Whether Netty's native transports are covered here, in words for the start-up line and the MBean.
 * A class rather than a method reference: the first lambda of a JVM costs milliseconds of start-up.
 */
final class NettyStatus implements Supplier<String> {

    private final Instrumenter instrumenter;
    private final NettyTuner tuner;

    NettyStatus(Instrumenter instrumenter, NettyTuner tuner) {
        this.instrumenter = instrumenter;
        this.tuner = tuner;
    }

    @Override
    public String get() {
        return describe();
    }

    String describe() {
        Set<String> packages = new TreeSet<>();
        for (String type : instrumenter.wovenLibraryTypes()) {
            if (type.contains(".channel.epoll.") || type.contains(".channel.uring.")) {
                packages.add(type.substring(0, type.lastIndexOf('.')));
            }
        }
        if (packages.isEmpty()) {
            return "watched for (epoll, io_uring; none loaded yet)";
        }
        Set<String> configured = tuner.transportsSeen();
        return "active in " + String.join(", ", packages)
                + (configured.isEmpty() ? " (no connection yet)" : " (connections configured: " + String.join(", ", configured) + ")");
    }
}
