package dev.keepaliveagent.tune;

import dev.keepaliveagent.config.KeepaliveSettings;
import java.net.InetSocketAddress;
import java.net.SocketOption;

/**
 * What the agent knows of one TCP socket, keyed weakly by its {@code FileDescriptor}: the app's
 * own keepalive choices until it connects, then the limit it was configured with. Holds no
 * reference to the descriptor, so a closed socket leaves nothing behind once collected.
 */
final class ManagedSocket {

    private final AppChoices appChoices = new AppChoices();
    private volatile KeepaliveSettings limit;
    private volatile InetSocketAddress remote;
    private volatile long configuredAtNanos;

    AppChoices appChoices() {
        return appChoices;
    }

    void configured(KeepaliveSettings limit, InetSocketAddress remote, long atNanos) {
        this.remote = remote;
        this.configuredAtNanos = atNanos;
        this.limit = limit;
    }

    boolean isConfigured() {
        return limit != null;
    }

    InetSocketAddress remote() {
        return remote;
    }

    long configuredAtNanos() {
        return configuredAtNanos;
    }

    /**
     * The value to set instead of the app's {@code value}: keepalive stays on, and no value may be
     * laxer than the limit. Returns {@code value} itself when it stands.
     */
    Object enforce(SocketOption<?> option, Object value) {
        KeepaliveSettings current = limit;
        if (option == KeepaliveOptions.KEEPALIVE) {
            return Boolean.FALSE.equals(value) ? Boolean.TRUE : value;
        }
        if (!(value instanceof Integer)) {
            return value;
        }
        int max = option == KeepaliveOptions.IDLE ? current.idleSeconds()
                : option == KeepaliveOptions.INTERVAL ? current.intervalSeconds()
                : current.probeCount();
        return (Integer) value > max ? Integer.valueOf(max) : value;
    }
}
