package dev.keepaliveagent.config;

import java.net.InetAddress;
import java.util.List;

/** The destination rules in order, and the global settings as the fallback. First match wins. */
public final class Rules {

    private final List<Rule> rules;
    private final Settings fallback;

    Rules(List<Rule> rules, Settings fallback) {
        this.rules = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(rules));
        this.fallback = fallback;
    }

    /**
     * The settings for a connection, or null if a rule says {@code off}. {@code listenPort} is the
     * local listening port of an accepted connection, -1 for one the app made; {@code remotePort}
     * likewise -1 when unknown.
     */
    public Settings settingsFor(InetAddress remote, int remotePort, int listenPort) {
        for (Rule rule : rules) {
            if (rule.matches(remote, remotePort, listenPort)) {
                return rule.settings();
            }
        }
        return fallback;
    }

    /**
     * These rules after {@code listen=PORT => off} for each of {@code ports}: the connections accepted there
     * are left alone, whatever else the rules say.
     */
    public Rules leavingAloneAcceptedOn(java.util.Set<Integer> ports) {
        List<Rule> all = new java.util.ArrayList<>();
        for (int port : ports) {
            all.add(new Rule("listen=" + port + " => off", java.util.Collections.singletonList(Rule.listenPort(port)), null));
        }
        all.addAll(rules);
        return new Rules(all, fallback);
    }

    /** The text of the rule that leaves such a connection alone ({@code off}); null where none does. */
    public String offRuleFor(InetAddress remote, int remotePort, int listenPort) {
        for (Rule rule : rules) {
            if (rule.matches(remote, remotePort, listenPort)) {
                return rule.settings() == null ? rule.toString() : null;
            }
        }
        return null;
    }

    /** The texts of the {@code off} rules that name a host, which an address alone cannot be matched against. */
    public List<String> offRulesByName() {
        List<String> texts = new java.util.ArrayList<>();
        for (Rule rule : rules) {
            if (rule.settings() == null && rule.namesAHost()) {
                texts.add(rule.toString());
            }
        }
        return texts;
    }

    /** Whether the fallback or a rule sets {@code option} (a rule that says off sets nothing). */
    public boolean set(KeepaliveOption option) {
        for (Rule rule : rules) {
            if (rule.settings() != null && rule.settings().isSet(option)) {
                return true;
            }
        }
        return fallback.isSet(option);
    }

    public int size() {
        return rules.size();
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (Rule rule : rules) {
            text.append(text.length() == 0 ? "" : "; ").append(rule);
        }
        return text.toString();
    }
}
