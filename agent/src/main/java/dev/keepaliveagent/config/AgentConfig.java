package dev.keepaliveagent.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Everything the agent was told, as one immutable value, with where each setting came from. */
public final class AgentConfig {

    /**
     * Safe everywhere, justified in README: probes start after 2 minutes of silence, well inside
     * the shortest common NAT and load-balancer idle timeouts (Azure 4 min, AWS NAT 350 s), and a
     * dead peer is found within 120 + 30 × 4 = 240 s, while a network blip of up to two minutes
     * does not kill a healthy connection.
     */
    public static final KeepaliveSettings DEFAULT_SETTINGS = new KeepaliveSettings(120, 30, 4);

    private final KeepaliveSettings settings;
    private final LogLevel logLevel;
    private final String logFile;
    private final String cache;
    private final Map<String, String> sources;

    AgentConfig(KeepaliveSettings settings, LogLevel logLevel, String logFile, String cache, Map<String, String> sources) {
        this.settings = settings;
        this.logLevel = logLevel;
        this.logFile = logFile;
        this.cache = cache;
        this.sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
    }

    public static AgentConfig defaults() {
        return new AgentConfig(DEFAULT_SETTINGS, LogLevel.INFO, null, null, Map.of());
    }

    public KeepaliveSettings settings() {
        return settings;
    }

    public LogLevel logLevel() {
        return logLevel;
    }

    public Optional<String> logFile() {
        return Optional.ofNullable(logFile);
    }

    /** Whether woven JDK classes may be kept on disk ({@code cache=off} says no). */
    public boolean cacheEnabled() {
        return !"off".equals(cache);
    }

    /** The cache directory the user chose, if any; otherwise the agent uses the per-user default. */
    public Optional<String> cacheDirectory() {
        return cacheEnabled() ? Optional.ofNullable(cache) : Optional.empty();
    }

    /** "args" for a setting given in the agent arguments, "default" otherwise. */
    public String sourceOf(String key) {
        return sources.getOrDefault(key, "default");
    }

    /** The effective settings and their sources, as the start-up line shows them. */
    @Override
    public String toString() {
        return "idle=" + settings.idleSeconds() + "s (" + sourceOf(AgentArguments.IDLE) + ")"
                + " intvl=" + settings.intervalSeconds() + "s (" + sourceOf(AgentArguments.INTVL) + ")"
                + " cnt=" + settings.probeCount() + " (" + sourceOf(AgentArguments.CNT) + ")"
                + " -> a dead idle peer is found within " + settings.deadPeerBoundSeconds() + "s";
    }
}
