package dev.keepaliveagent.observe;

import dev.keepaliveagent.boot.Switchboard;
import dev.keepaliveagent.jdk.AgentProperties;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * What the agent tells the tools that attach to its JVM ({@code attach}, {@code doctor}) of itself: its
 * version, the settings in force and its counts, in the JVM's agent properties, which the attach API
 * hands to any process of the same user ({@code VirtualMachine.getAgentProperties}) as text, without
 * starting JMX and without Java serialisation. They are not system properties: the app never sees them.
 */
public final class AttachProperties {

    public static final String VERSION = "dev.keepaliveagent.version";
    public static final String SETTINGS = "dev.keepaliveagent.settings";
    /** The destination rules, as given, separated by {@code ;}: empty without any. */
    public static final String RULES = "dev.keepaliveagent.rules";
    public static final String CONFIGURED = "dev.keepaliveagent.configured";
    public static final String DEAD_PEERS = "dev.keepaliveagent.deadPeers";
    public static final String SUPPRESSED_ERRORS = "dev.keepaliveagent.suppressedErrors";
    public static final String REFUSED_INSTALLS = "dev.keepaliveagent.refusedInstalls";
    /** The names the app's open connections were made with, as {@code 10.0.0.7:5432=db.internal}, comma-separated. */
    public static final String HOSTS = "dev.keepaliveagent.hosts";
    /** The JDK methods hooked, comma-separated. */
    public static final String HOOKED = "dev.keepaliveagent.hooked";
    /** Kinds of connection whose first one the kernel showed without what the agent set, comma-separated. */
    public static final String READ_BACK_MISMATCHES = "dev.keepaliveagent.readBackMismatches";

    private AttachProperties() {
    }

    public static void publish(String version, String settings, String rules, KeepaliveAgentMXBean counts,
                               Supplier<Map<String, String>> hostNames) {
        try {
            Properties properties = AgentProperties.ofThisJvm();
            properties.setProperty(VERSION, version);
            properties.setProperty(SETTINGS, settings);
            properties.setProperty(RULES, rules);
            Map<String, Supplier<String>> live = new LinkedHashMap<>();
            live.put(CONFIGURED, () -> String.valueOf(counts.getConfiguredConnectionsTotal()));
            live.put(DEAD_PEERS, () -> String.valueOf(counts.getDeadPeersTotal()));
            live.put(SUPPRESSED_ERRORS, () -> String.valueOf(counts.getSuppressedErrors()));
            live.put(REFUSED_INSTALLS, () -> String.valueOf(counts.getRefusedInstalls()));
            live.put(HOOKED, () -> String.join(",", counts.getHookedMethods()));
            live.put(READ_BACK_MISMATCHES, () -> String.join(",", counts.getReadBackMismatches().keySet()));
            live.put(HOSTS, () -> {
                StringBuilder text = new StringBuilder();
                for (Map.Entry<String, String> host : hostNames.get().entrySet()) {
                    text.append(text.length() == 0 ? "" : ",").append(host.getKey()).append('=').append(host.getValue());
                }
                return text.toString();
            });
            synchronized (properties) {
                AgentProperties.setDefaults(properties, new LiveProperties(live, AgentProperties.defaultsOf(properties)));
            }
        } catch (Throwable t) {
            Switchboard.suppressed("telling attach clients the settings in force and the counts", t);
        }
    }

    /**
     * The counts, read when an attach client reads the agent properties rather than written at each
     * connection (which would take the properties' lock on the app's threads): the JVM's agent properties
     * fall back on these as their defaults, and the JDK copies them key by key through
     * {@link #getProperty(String)} before it writes them out.
     */
    private static final class LiveProperties extends Properties {

        private static final long serialVersionUID = 1L;

        private final transient Map<String, Supplier<String>> live;

        LiveProperties(Map<String, Supplier<String>> live, Properties defaults) {
            super(defaults);
            this.live = Collections.unmodifiableMap(new LinkedHashMap<>(live));
            for (String key : live.keySet()) {
                super.put(key, "unknown"); // listed by stringPropertyNames; the value is read live below
            }
        }

        @Override
        public String getProperty(String key) {
            Supplier<String> value = live.get(key);
            if (value == null) {
                return super.getProperty(key);
            }
            try {
                return value.get();
            } catch (Throwable t) {
                Switchboard.suppressed("reading the counts for an attach client", t);
                return "unknown";
            }
        }
    }
}
