package dev.keepaliveagent.lifecycle;

import dev.keepaliveagent.config.KeepaliveOption;
import dev.keepaliveagent.config.Settings;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the agent knows of one TCP connection, a JDK socket's or a Netty channel's: the app's own
 * keepalive choices until it is configured, then the limit it was configured with. Holds no reference
 * to the socket or channel, so a closed one leaves nothing behind once collected.
 */
public final class Connection {

    private final AppChoices appChoices = new AppChoices();
    private volatile Settings limit;
    private volatile Settings applied;
    private volatile InetSocketAddress remote;
    private volatile String how;
    private volatile long configuredAtNanos;
    private final AtomicBoolean deathReported = new AtomicBoolean();
    private final AtomicBoolean claimed = new AtomicBoolean();
    private volatile boolean leftAlone;

    public AppChoices appChoices() {
        return appChoices;
    }

    void configured(Settings limit, Settings applied, InetSocketAddress remote, String how, long atNanos) {
        this.remote = remote;
        this.how = how;
        this.applied = applied;
        this.configuredAtNanos = atNanos;
        this.limit = limit;
    }

    /** The settings its destination allows at most. */
    public Settings limit() {
        return limit;
    }

    /** The values set on it: the limit, or the app's where stricter. */
    public Settings applied() {
        return applied;
    }

    /** "connect", "accept", "netty epoll connect"…: the kind it is counted and reported under. */
    public String how() {
        return how;
    }

    /** True the first time only: a connection is configured once, by a hook or by the start-up window. */
    public boolean claim() {
        return claimed.compareAndSet(false, true);
    }

    public boolean isClaimed() {
        return claimed.get();
    }

    /**
     * True the first time only: a connection dies once, however many of its reads and writes, on
     * however many threads, fail afterwards.
     */
    public boolean markDead() {
        return deathReported.compareAndSet(false, true);
    }

    /** A rule says off: it stays as the app made it, and known as such. */
    public void leaveAlone() {
        leftAlone = true;
    }

    /** Configured, or left alone by a rule: either way a hook or the start-up window has handled it. */
    public boolean isHandled() {
        return leftAlone || limit != null;
    }

    public boolean isDead() {
        return deathReported.get();
    }

    public boolean isConfigured() {
        return limit != null;
    }

    public InetSocketAddress remote() {
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
     * The value to set instead of the app's {@code value} of {@code option} (null: SO_KEEPALIVE):
     * keepalive stays on, and no value may be laxer than the limit, nor off. Returns {@code value} itself when
     * it stands.
     */
    Object enforce(KeepaliveOption option, Object value) {
        if (option == null) {
            return Boolean.FALSE.equals(value) ? Boolean.TRUE : value;
        }
        if (!option.smallerIsStricter() || !(value instanceof Integer) || !limit.isSet(option)) {
            return value;
        }
        int max = limit.get(option);
        // Off (0, where an option may be off: TCP_USER_TIMEOUT) is the laxest value of all.
        boolean off = option.mayBeOff() && (Integer) value == 0;
        return off || (Integer) value > max ? Integer.valueOf(max) : value;
    }
}
