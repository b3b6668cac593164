package dev.keepaliveagent.tune;

import dev.keepaliveagent.config.KeepaliveOption;
import dev.keepaliveagent.config.Settings;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the agent knows of one TCP socket, keyed weakly by its {@code FileDescriptor}: the app's
 * own keepalive choices until it connects, then the limit it was configured with. Holds no
 * reference to the descriptor, so a closed socket leaves nothing behind once collected.
 */
final class ManagedSocket {

    private final AppChoices appChoices = new AppChoices();
    private volatile Settings limit;
    private volatile Settings applied;
    private volatile InetSocketAddress remote;
    private volatile String how;
    private volatile long configuredAtNanos;
    private final AtomicBoolean deathReported = new AtomicBoolean();
    private final AtomicBoolean claimed = new AtomicBoolean();
    private volatile boolean leftAlone;

    AppChoices appChoices() {
        return appChoices;
    }

    void configured(Settings limit, Settings applied, InetSocketAddress remote, String how,
                    long atNanos) {
        this.remote = remote;
        this.how = how;
        this.applied = applied;
        this.configuredAtNanos = atNanos;
        this.limit = limit;
    }

    /** The settings its destination allows at most. */
    Settings limit() {
        return limit;
    }

    /** The values set on the socket: the limit, or the app's where stricter. */
    Settings applied() {
        return applied;
    }

    /** "connect" or "accept". */
    String how() {
        return how;
    }

    /** True the first time only: one socket is configured once, by a hook or by the start-up window. */
    boolean claim() {
        return claimed.compareAndSet(false, true);
    }

    boolean isClaimed() {
        return claimed.get();
    }

    /**
     * True the first time only: a connection dies once, however many of its reads and writes, on
     * however many threads, fail afterwards.
     */
    boolean markDead() {
        return deathReported.compareAndSet(false, true);
    }

    /** A rule says off: the socket stays as the app made it, and known as such. */
    void leaveAlone() {
        leftAlone = true;
    }

    /** Configured, or left alone by a rule: either way a hook or the start-up window has handled it. */
    boolean isHandled() {
        return leftAlone || limit != null;
    }

    boolean isDead() {
        return deathReported.get();
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

    /** How long ago it was configured. */
    long ageNanos() {
        return System.nanoTime() - configuredAtNanos;
    }

    /**
     * The value to set instead of the app's {@code value}: keepalive stays on, and no value may be
     * laxer than the limit. Returns {@code value} itself when it stands.
     */
    Object enforce(SocketOption<?> option, Object value) {
        if (option == JdkSocketOptions.KEEPALIVE) {
            return Boolean.FALSE.equals(value) ? Boolean.TRUE : value;
        }
        KeepaliveOption declared = JdkSocketOptions.declarationOf(option);
        if (declared == null || !declared.smallerIsStricter() || !(value instanceof Integer) || !limit.isSet(declared)) {
            return value;
        }
        int max = limit.get(declared);
        return (Integer) value > max ? Integer.valueOf(max) : value;
    }
}
