package dev.keepaliveagent.config;

/** Settings for tests, from the four values the agent has always had: idle, intvl, cnt and utimeout. */
public final class TestSettings {

    private TestSettings() {
    }

    /** Keepalive alone: no user timeout. */
    public static Settings of(int idleSeconds, int intervalSeconds, int probeCount) {
        return of(idleSeconds, intervalSeconds, probeCount, 0);
    }

    public static Settings of(int idleSeconds, int intervalSeconds, int probeCount, int userTimeoutMillis) {
        return Settings.declaredDefaults().with(KeepaliveOption.IDLE, idleSeconds).with(KeepaliveOption.INTVL, intervalSeconds)
                .with(KeepaliveOption.CNT, probeCount).with(KeepaliveOption.UTIMEOUT, userTimeoutMillis);
    }
}
