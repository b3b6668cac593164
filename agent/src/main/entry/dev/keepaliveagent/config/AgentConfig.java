package dev.keepaliveagent.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Everything the agent was told, as one immutable value, with where each setting came from. */
public final class AgentConfig {

    /**
     * Safe everywhere, justified in README: probes start after 2 minutes of silence, well inside
     * the shortest common NAT and load-balancer idle timeouts (Azure 4 min, AWS NAT 350 s), and a
     * dead peer is found within 120 + 30 × 4 = 240 s, idle or with data in flight (utimeout=auto),
     * while a network blip of up to two minutes does not kill a healthy connection.
     */
    public static final Settings DEFAULT_SETTINGS =
            Settings.declaredDefaults().withAutoWorkedOut(RetransmissionLimit.of(RetransmissionLimit.DEFAULT_RETRIES));

    private final Settings settings;
    private final Rules rules;
    /** The options given as {@code auto}, worked out from the others. */
    private final Set<KeepaliveOption> automatic;
    private final RetransmissionLimit kernel;
    private final LogLevel logLevel;
    private final String logFile;
    private final LogFormat logFormat;
    private final Boolean logTime;
    private final String cache;
    private final Map<String, String> sources;
    private final List<String> warnings;

    AgentConfig(Settings settings, Rules rules, Set<KeepaliveOption> automatic, RetransmissionLimit kernel, LogLevel logLevel,
                String logFile, LogFormat logFormat, Boolean logTime, String cache, Map<String, String> sources,
                List<String> warnings) {
        this.logTime = logTime;
        this.settings = settings;
        this.rules = rules;
        this.automatic = Collections.unmodifiableSet(new HashSet<>(automatic));
        this.kernel = kernel;
        this.logLevel = logLevel;
        this.logFile = logFile;
        this.logFormat = logFormat;
        this.cache = cache;
        this.sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
        this.warnings = Collections.unmodifiableList(new java.util.ArrayList<>(warnings));
    }

    /** The global settings: for every connection no rule matches. */
    public Settings settings() {
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
        return sources.containsValue(Sourced.ARGS);
    }

    /** Where a setting came from: "args", "-Dkeepalive.idle", "KEEPALIVE_IDLE", "config file PATH line N" or "default". */
    public String sourceOf(String key) {
        return sources.getOrDefault(key, "default");
    }

    /**
     * The options the start-up line and {@code Info} show: each the agent sets, was given, or has a value by
     * default; one that is off by default and that no source named is left out, so that declaring an option
     * changes nothing for those who do not use it.
     */
    public List<KeepaliveOption> shownOptions() {
        List<KeepaliveOption> shown = new ArrayList<>();
        for (KeepaliveOption option : KeepaliveOption.all()) {
            if (settings.isSet(option) || sources.containsKey(option.key()) || option.defaultValue() != ValueSyntax.OFF) {
                shown.add(option);
            }
        }
        return shown;
    }

    /**
     * Whether anything asks for {@code option}: it is shown ({@link #shownOptions()}) or a rule sets it. Where
     * the platform cannot set an option, the start-up line warns of it only then.
     */
    public boolean asksFor(KeepaliveOption option) {
        return shownOptions().contains(option) || rules.set(option);
    }

    /** The effective settings and their sources, as the start-up line shows them. */
    @Override
    public String toString() {
        return describe(Collections.<KeepaliveOption>emptySet());
    }

    /**
     * As {@link #toString()}, on a platform that cannot set {@code notApplied} (TCP_USER_TIMEOUT, say, but
     * on Linux): each is shown as given, and said not applied; the bounds are what is applied alone.
     */
    public String describe(Set<KeepaliveOption> notApplied) {
        Settings applied = settings;
        StringBuilder line = new StringBuilder();
        for (KeepaliveOption option : shownOptions()) {
            String note = notApplied.contains(option) ? "; not applied here"
                    : automatic.contains(option) && !settings.isSet(option) ? ": " + Settings.AUTO_TURNED_OFF : "";
            line.append(line.length() == 0 ? "" : " ").append(option.key()).append('=').append(settings.text(option))
                    .append(" (").append(sourceOf(option.key())).append(note).append(')');
        }
        for (KeepaliveOption option : notApplied) {
            applied = applied.with(option, ValueSyntax.OFF);
        }
        KeepaliveOption userTimeout = KeepaliveOption.UTIMEOUT;
        boolean kernelsOwn = !applied.isSet(userTimeout);
        return line + " -> a dead idle peer is found within " + applied.deadPeerBoundSeconds() + "s"
                + ", with data in flight within " + (!kernelsOwn ? applied.text(userTimeout)
                        : notApplied.contains(userTimeout) ? "the kernel's own retransmission limit"
                        : kernel + ", the kernel's own limit")
                + (rules.isEmpty() ? "" : "; rules (" + sourceOf(AgentKeys.RULES) + "): " + rules);
    }
}
