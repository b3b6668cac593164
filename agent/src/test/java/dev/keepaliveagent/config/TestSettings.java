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

    /**
     * {@code text} with {@code {options}} replaced by the declared options' keys as refusals list them
     * ({@code idle, intvl, cnt, utimeout}): a message that lists them stays exact when an option is added.
     */
    public static String withOptionKeys(String text) {
        StringBuilder keys = new StringBuilder();
        for (KeepaliveOption option : KeepaliveOption.all()) {
            keys.append(keys.length() == 0 ? "" : ", ").append(option.key());
        }
        return text.replace("{options}", keys);
    }
}
