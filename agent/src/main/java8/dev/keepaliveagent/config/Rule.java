package dev.keepaliveagent.config;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;

/**
 * One destination rule: which connections it matches (every listed condition must hold) and the
 * settings they get, or none at all ({@code off}: the agent leaves them alone).
 */
public final class Rule {

    private final String text;
    private final List<Condition> conditions;
    private final KeepaliveSettings settings;

    Rule(String text, List<Condition> conditions, KeepaliveSettings settings) {
        this.text = text;
        this.conditions = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(conditions));
        this.settings = settings;
    }

    /** Null for {@code off}. */
    public KeepaliveSettings settings() {
        return settings;
    }

    boolean matches(InetAddress remote, int remotePort, int listenPort) {
        for (Condition condition : conditions) {
            if (!condition.matches(remote, remotePort, listenPort)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return text;
    }

    /** One condition of a rule. */
    interface Condition {
        boolean matches(InetAddress remote, int remotePort, int listenPort);
    }

    /** {@code port=N}: the remote port (of connections the app makes). */
    static Condition remotePort(int port) {
        return (remote, remotePort, listenPort) -> remotePort == port;
    }

    /** {@code listen=N}: the local listening port (of connections the app accepts). */
    static Condition listenPort(int port) {
        return (remote, remotePort, listenPort) -> listenPort == port;
    }

    /** An address range in CIDR notation, or a single address; IPv4 also matches its IPv4-mapped IPv6 form. */
    static Condition cidr(byte[] network, int prefixBits) {
        return (remote, remotePort, listenPort) -> remote != null && inRange(normalised(remote.getAddress()), network, prefixBits);
    }

    /**
     * A host name as the app gave it ({@code db.internal}), or every name under a domain
     * ({@code *.internal}); never looked up in DNS.
     */
    static Condition host(String pattern) {
        String lower = pattern.toLowerCase(Locale.ROOT);
        return (remote, remotePort, listenPort) -> {
            String name = remote == null ? null : nameOf(remote);
            if (name == null) {
                return false;
            }
            name = name.toLowerCase(Locale.ROOT);
            return lower.startsWith("*.") ? name.endsWith(lower.substring(1)) : name.equals(lower);
        };
    }

    /** The name the address was made from, if any: the part before '/' of toString(), with no reverse lookup. */
    private static String nameOf(InetAddress address) {
        String text = address.toString();
        int slash = text.indexOf('/');
        return slash > 0 ? text.substring(0, slash) : null;
    }

    static byte[] normalised(byte[] address) {
        if (address.length == 16) {
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= address[i] == 0;
            }
            mapped &= address[10] == (byte) 0xff && address[11] == (byte) 0xff;
            if (mapped) {
                return new byte[] {address[12], address[13], address[14], address[15]};
            }
        }
        return address;
    }

    private static boolean inRange(byte[] address, byte[] network, int prefixBits) {
        if (address.length != network.length) {
            return false;
        }
        int fullBytes = prefixBits / 8;
        for (int i = 0; i < fullBytes; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixBits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (address[fullBytes] & mask) == (network[fullBytes] & mask);
    }
}
