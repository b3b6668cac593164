package dev.keepaliveagent.cli;

import dev.keepaliveagent.observe.AttachProperties;
import java.util.ArrayList;
import java.util.Collections;
import dev.keepaliveagent.config.AgentArguments;
import dev.keepaliveagent.config.InvalidArgumentException;
import dev.keepaliveagent.config.Rules;
import java.util.List;
import java.util.Properties;

/**
 * What the agent inside another JVM says of itself, as it published it in that JVM's agent properties:
 * text the attach API reads without starting JMX and without Java serialisation. Whatever the process
 * sent is taken as text; doctor's output escapes it.
 */
final class AgentStatus {

    final String version;
    final String settings;
    /** The names its app's connections were made with, by peer address ({@code 10.0.0.7:5432}); empty if none. */
    final java.util.Map<String, String> hosts;
    /** Its destination rules, as the agent parses them; null where it published none doctor could read (an older version). */
    final Rules rules;
    /** Null where the agent published no counts (an older version) or they are not numbers. */
    final Counts counts;

    static final class Counts {
        final long configured;
        final long deadPeers;
        final long suppressedErrors;
        /** Installs on its switchboard it refused: code in the JVM that tried to take its place. */
        final long refusedInstalls;
        /** The JDK methods it hooks. */
        final List<String> hooked;
        /** Kinds of connection whose first one the kernel showed without what the agent set. */
        final List<String> readBackMismatches;

        Counts(long configured, long deadPeers, long suppressedErrors, long refusedInstalls, List<String> hooked,
               List<String> readBackMismatches) {
            this.configured = configured;
            this.deadPeers = deadPeers;
            this.suppressedErrors = suppressedErrors;
            this.refusedInstalls = refusedInstalls;
            this.hooked = hooked;
            this.readBackMismatches = readBackMismatches;
        }
    }

    private AgentStatus(String version, String settings, java.util.Map<String, String> hosts, Rules rules, Counts counts) {
        this.version = version;
        this.hosts = hosts;
        this.settings = settings;
        this.rules = rules;
        this.counts = counts;
    }

    /** Null if the JVM runs no keepalive-agent (it published no settings). */
    static AgentStatus of(Properties published) {
        String settings = published.getProperty(AttachProperties.SETTINGS);
        if (settings == null) {
            return null;
        }
        return new AgentStatus(String.valueOf(published.getProperty(AttachProperties.VERSION)), settings,
                hosts(published.getProperty(AttachProperties.HOSTS)), rules(published.getProperty(AttachProperties.RULES)),
                counts(published));
    }

    private static java.util.Map<String, String> hosts(String text) {
        java.util.Map<String, String> hosts = new java.util.HashMap<>();
        for (String pair : text == null || text.isEmpty() ? new String[0] : text.split(",")) {
            int eq = pair.lastIndexOf('=');
            if (eq > 0) {
                hosts.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return hosts;
    }

    /** Read by the agent's own parser, as text: a process that sends what its owner wants gets no further. */
    private static Rules rules(String text) {
        if (text == null) {
            return null;
        }
        try {
            return AgentArguments.parse(text.isEmpty() ? "" : "rules=" + text).rules();
        } catch (InvalidArgumentException | RuntimeException unreadable) {
            return null;
        }
    }

    private static Counts counts(Properties published) {
        try {
            return new Counts(Long.parseLong(published.getProperty(AttachProperties.CONFIGURED)),
                    Long.parseLong(published.getProperty(AttachProperties.DEAD_PEERS)),
                    Long.parseLong(published.getProperty(AttachProperties.SUPPRESSED_ERRORS)),
                    Long.parseLong(published.getProperty(AttachProperties.REFUSED_INSTALLS)),
                    list(published.getProperty(AttachProperties.HOOKED)),
                    list(published.getProperty(AttachProperties.READ_BACK_MISMATCHES)));
        } catch (NumberFormatException notPublished) {
            return null;
        }
    }

    private static List<String> list(String commaSeparated) {
        if (commaSeparated == null) {
            throw new NumberFormatException("not published");
        }
        List<String> items = new ArrayList<>();
        for (String item : commaSeparated.split(",")) {
            if (!item.isEmpty()) {
                items.add(item);
            }
        }
        return Collections.unmodifiableList(items);
    }
}
