package dev.keepaliveagent.config;

import java.util.Objects;

/**
 * The keepalive settings one connection gets, named as in the Linux kernel: after {@code idle}
 * seconds without traffic the kernel sends a probe, then one every {@code intvl} seconds, and
 * gives up after {@code cnt} unanswered probes.
 */
public final class KeepaliveSettings {

    /** TCP_KEEPIDLE and TCP_KEEPINTVL are limited to this by Linux (MAX_TCP_KEEPIDLE/INTVL). */
    public static final int MAX_SECONDS = 32767;
    /** TCP_KEEPCNT is limited to this by Linux (MAX_TCP_KEEPCNT). */
    public static final int MAX_COUNT = 127;

    private final int idleSeconds;
    private final int intervalSeconds;
    private final int probeCount;

    public KeepaliveSettings(int idleSeconds, int intervalSeconds, int probeCount) {
        this.idleSeconds = idleSeconds;
        this.intervalSeconds = intervalSeconds;
        this.probeCount = probeCount;
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

    /** The longest a dead, idle peer can go unnoticed: {@code idle + intvl × cnt}. */
    public long deadPeerBoundSeconds() {
        return idleSeconds + (long) intervalSeconds * probeCount;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof KeepaliveSettings)) {
            return false;
        }
        KeepaliveSettings that = (KeepaliveSettings) other;
        return idleSeconds == that.idleSeconds
                && intervalSeconds == that.intervalSeconds
                && probeCount == that.probeCount;
    }

    @Override
    public int hashCode() {
        return Objects.hash(idleSeconds, intervalSeconds, probeCount);
    }

    @Override
    public String toString() {
        return "idle=" + idleSeconds + "s intvl=" + intervalSeconds + "s cnt=" + probeCount;
    }
}
