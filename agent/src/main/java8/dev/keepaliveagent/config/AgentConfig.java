package dev.keepaliveagent.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Everything the agent was told, as one immutable value, with where each setting came from. */
public final class AgentConfig {

    /**
     * Safe everywhere, justified in README: probes start after 2 minutes of silence, well inside
     * the shortest common NAT and load-balancer idle timeouts (Azure 4 min, AWS NAT 350 s), and a
     * dead peer is found within 120 + 30 × 4 = 240 s, idle or with data in flight (utimeout=auto),
     * while a network blip of up to two minutes does not kill a healthy connection.
     */
    public static final KeepaliveSettings DEFAULT_SETTINGS = new KeepaliveSettings(120, 30, 4, 240_000);

    private final KeepaliveSettings settings;
    private final Rules rules;
    private final boolean userTimeoutAuto;
    private final RetransmissionLimit kernel;
    private final LogLevel logLevel;
    private final String logFile;
    private final LogFormat logFormat;
    private final Boolean logTime;
    private final String cache;
    private final Map<String, String> sources;
    private final List<String> warnings;

    AgentConfig(KeepaliveSettings settings, Rules rules, boolean userTimeoutAuto, RetransmissionLimit kernel, LogLevel logLevel,
                String logFile, LogFormat logFormat, Boolean logTime, String cache, Map<String, String> sources,
                List<String> warnings) {
        this.logTime = logTime;
        this.settings = settings;
        this.rules = rules;
        this.userTimeoutAuto = userTimeoutAuto;
        this.kernel = kernel;
        this.logLevel = logLevel;
        this.logFile = logFile;
        this.logFormat = logFormat;
        this.cache = cache;
        this.sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
        this.warnings = Collections.unmodifiableList(new java.util.ArrayList<>(warnings));
    }

    /** The global settings: for every connection no rule matches. */
    public KeepaliveSettings settings() {
        return settings;
    }

    public Rules rules() {
        return rules;
    }

    public LogLevel logLevel() {
        return logLevel;
    }

    public Optional<String> logFile() {
        return Optional.ofNullable(logFile);
    }

    public LogFormat logFormat() {
        return logFormat;
    }

    /**
     * Whether each text line starts with its time ({@code logtime}): by default in a log file, which no one
     * else stamps, and not on standard error, which a container runtime or journald stamps already.
     */
    public boolean logTimestamps() {
        return logTimestamps(logFile != null);
    }

    /** As {@link #logTimestamps()}, for lines that go to a file or not (a log file that cannot be written: not). */
    public boolean logTimestamps(boolean toFile) {
        return logTime != null ? logTime : toFile;
    }

    /** Whether woven JDK classes may be kept on disk ({@code cache=off} says no). */
    public boolean cacheEnabled() {
        return !"off".equals(cache);
    }

    /** The cache directory the user chose, if any; otherwise the agent uses the per-user default. */
    public Optional<String> cacheDirectory() {
        return cacheEnabled() ? Optional.ofNullable(cache) : Optional.empty();
    }

    /** Things worth a WARN at start-up that are no reason to refuse it (an unknown KEEPALIVE_ variable, say). */
    public List<String> warnings() {
        return warnings;
    }

    /** Whether the agent argument string gave any setting. */
    public boolean hasAgentArguments() {
        return sources.containsValue(AgentArguments.ARGS);
    }

    /** Where a setting came from: "args", "-Dkeepalive.idle", "KEEPALIVE_IDLE", "config file PATH line N" or "default". */
    public String sourceOf(String key) {
        return sources.getOrDefault(key, "default");
    }

    /** The effective settings and their sources, as the start-up line shows them. */
    @Override
    public String toString() {
        return describe(true);
    }

    /**
     * As {@link #toString()}, on a platform where TCP_USER_TIMEOUT can be set or not ({@code false}: not
     * Linux): there the bounds are keepalive's and the kernel's alone, and the line says so.
     */
    public String describe(boolean userTimeoutApplies) {
        KeepaliveSettings settings = userTimeoutApplies ? this.settings
                : new KeepaliveSettings(this.settings.idleSeconds(), this.settings.intervalSeconds(), this.settings.probeCount());
        String utimeout = userTimeoutApplies ? settings.userTimeoutText()
                : this.settings.userTimeoutText() + " (" + sourceOf(AgentArguments.UTIMEOUT) + "; not applied here";
        boolean kernelsOwn = settings.userTimeoutMillis() == 0;
        String bound = settings.deadPeerBoundSeconds() + "s";
        return "idle=" + settings.idleSeconds() + "s (" + sourceOf(AgentArguments.IDLE) + ")"
                + " intvl=" + settings.intervalSeconds() + "s (" + sourceOf(AgentArguments.INTVL) + ")"
                + " cnt=" + settings.probeCount() + " (" + sourceOf(AgentArguments.CNT) + ")"
                + " utimeout=" + (userTimeoutApplies ? utimeout + " (" + sourceOf(AgentArguments.UTIMEOUT)
                        + (kernelsOwn && userTimeoutAuto ? ": auto, as idle + intvl × cnt is longer than the kernel's own limit" : "")
                        : utimeout) + ")"
                + " -> a dead idle peer is found within " + bound
                + ", with data in flight within " + (kernelsOwn ? (userTimeoutApplies ? kernel + ", the kernel's own limit"
                        : "the kernel's own retransmission limit") : utimeout)
                + (rules.isEmpty() ? "" : "; rules (" + sourceOf(AgentArguments.RULES) + "): " + rules);
    }
}
