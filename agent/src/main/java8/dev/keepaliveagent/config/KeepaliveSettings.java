package dev.keepaliveagent.config;

import java.util.Objects;

/**
 * The settings one connection gets, named as in the Linux kernel: after {@code idle} seconds without
 * traffic the kernel sends a probe, then one every {@code intvl} seconds, and gives up after
 * {@code cnt} unanswered probes; and, with data in flight, after {@code utimeout} milliseconds
 * without an acknowledgement (TCP_USER_TIMEOUT; 0 = the kernel's retransmission limits).
 */
public final class KeepaliveSettings {

    /** TCP_KEEPIDLE and TCP_KEEPINTVL are limited to this by Linux (MAX_TCP_KEEPIDLE/INTVL). */
    public static final int MAX_SECONDS = 32767;
    /** TCP_KEEPCNT is limited to this by Linux (MAX_TCP_KEEPCNT). */
    public static final int MAX_COUNT = 127;
    /** TCP_USER_TIMEOUT is an int of milliseconds. */
    public static final long MAX_USER_TIMEOUT_MILLIS = Integer.MAX_VALUE;

    private final int idleSeconds;
    private final int intervalSeconds;
    private final int probeCount;
    private final int userTimeoutMillis;

    public KeepaliveSettings(int idleSeconds, int intervalSeconds, int probeCount, int userTimeoutMillis) {
        this.idleSeconds = idleSeconds;
        this.intervalSeconds = intervalSeconds;
        this.probeCount = probeCount;
        this.userTimeoutMillis = userTimeoutMillis;
    }

    /** Keepalive only, no user timeout. */
    public KeepaliveSettings(int idleSeconds, int intervalSeconds, int probeCount) {
        this(idleSeconds, intervalSeconds, probeCount, 0);
    }

    public int idleSeconds() {
        return idleSeconds;
    }

    public int intervalSeconds() {
        return intervalSeconds;
    }

    public int probeCount() {
        return probeCount;
    }

    /** TCP_USER_TIMEOUT in milliseconds; 0 when the agent leaves it alone. */
    public int userTimeoutMillis() {
        return userTimeoutMillis;
    }

    /**
     * These settings, with each value an app chose itself taking its place where stricter (smaller);
     * a chosen value of 0 or less means none. Returns this object when nothing changes.
     */
    public KeepaliveSettings withStricter(int idle, int interval, int count, int userTimeout) {
        KeepaliveSettings stricter = new KeepaliveSettings(stricter(idle, idleSeconds), stricter(interval, intervalSeconds),
                stricter(count, probeCount), stricter(userTimeout, userTimeoutMillis));
        return stricter.equals(this) ? this : stricter;
    }

    private static int stricter(int chosen, int limit) {
        return chosen > 0 && chosen < limit ? chosen : limit;
    }

    /**
     * The longest a dead, idle peer can go unnoticed: {@code idle + intvl × cnt}. With a user timeout the
     * kernel ignores {@code cnt}: it gives up at the first probe's turn, after at least one probe, when
     * nothing has been heard for {@code utimeout} ({@code tcp_keepalive_timer}).
     */
    public long deadPeerBoundSeconds() {
        if (userTimeoutMillis == 0) {
            return idleSeconds + (long) intervalSeconds * probeCount;
        }
        long afterIdle = userTimeoutMillis - idleSeconds * 1000L;
        long intervalMillis = intervalSeconds * 1000L;
        long probes = Math.max(1, (afterIdle + intervalMillis - 1) / intervalMillis);
        return idleSeconds + intervalSeconds * probes;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof KeepaliveSettings)) {
            return false;
        }
        KeepaliveSettings that = (KeepaliveSettings) other;
        return idleSeconds == that.idleSeconds
                && intervalSeconds == that.intervalSeconds
                && probeCount == that.probeCount
                && userTimeoutMillis == that.userTimeoutMillis;
    }

    @Override
    public int hashCode() {
        return Objects.hash(idleSeconds, intervalSeconds, probeCount, userTimeoutMillis);
    }

    @Override
    public String toString() {
        return "idle=" + idleSeconds + "s intvl=" + intervalSeconds + "s cnt=" + probeCount
                + (userTimeoutMillis == 0 ? "" : " utimeout=" + millis(userTimeoutMillis));
    }

    /** {@code utimeout} as the start-up line and the MBean write it: {@code 1800s}, {@code 500ms}, or {@code off}. */
    public String userTimeoutText() {
        return userTimeoutMillis == 0 ? "off" : millis(userTimeoutMillis);
    }

    static String millis(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
