package dev.keepaliveagent.config;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;

/**
 * One destination rule: which connections it matches and the settings they get, or none at all
 * ({@code off}: the agent leaves them alone). Conditions of one kind are alternatives, as a list of
 * addresses is read ({@code 127.0.0.0/8 ::1}); of different kinds all must hold ({@code 10.0.0.0/8 port=5432}).
 */
public final class Rule {

    private final String text;
    private final List<Condition> conditions;
    private final Settings settings;

    Rule(String text, List<Condition> conditions, Settings settings) {
        this.text = text;
        this.conditions = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(conditions));
        this.settings = settings;
    }

    /** Null for {@code off}. */
    public Settings settings() {
        return settings;
    }

    /** Whether a condition names a host: a connection's address alone cannot tell whether it holds. */
    boolean namesAHost() {
        for (Condition condition : conditions) {
            if (condition.isHostName()) {
                return true;
            }
        }
        return false;
    }

    boolean matches(InetAddress remote, int remotePort, int listenPort) {
        for (Kind kind : Kind.values()) {
            boolean present = false;
            boolean met = false;
            for (Condition condition : conditions) {
                if (condition.kind() == kind) {
                    present = true;
                    met |= condition.matches(remote, remotePort, listenPort);
                }
            }
            if (present && !met) {
                return false;
            }
        }
        return true;
    }

    /** The kinds of condition: one of each kind present must hold. */
    enum Kind {
        /** An address, a range or a host name: where the connection goes. */
        DESTINATION,
        /** {@code port=N}. */
        REMOTE_PORT,
        /** {@code listen=N}. */
        LISTEN_PORT
    }

    @Override
    public String toString() {
        return text;
    }

    /** One condition of a rule. */
    static final class Condition {
        private final Kind kind;
        private final boolean hostName;
        private final Test test;

        private Condition(Kind kind, boolean hostName, Test test) {
            this.kind = kind;
            this.hostName = hostName;
            this.test = test;
        }

        Kind kind() {
            return kind;
        }

        /** A host name, which only a connection the app made can have (an accepted one has an address alone). */
        boolean isHostName() {
            return hostName;
        }

        boolean matches(InetAddress remote, int remotePort, int listenPort) {
            return test.matches(remote, remotePort, listenPort);
        }
    }

    private interface Test {
        boolean matches(InetAddress remote, int remotePort, int listenPort);
    }

    /** {@code port=N}: the remote port (of connections the app makes). */
    static Condition remotePort(int port) {
        return new Condition(Kind.REMOTE_PORT, false, (remote, remotePort, listenPort) -> remotePort == port);
    }

    /** {@code listen=N}: the local listening port (of connections the app accepts). */
    static Condition listenPort(int port) {
        return new Condition(Kind.LISTEN_PORT, false, (remote, remotePort, listenPort) -> listenPort == port);
    }

    /** An address range in CIDR notation, or a single address; IPv4 also matches its IPv4-mapped IPv6 form. */
    static Condition cidr(byte[] network, int prefixBits) {
        return new Condition(Kind.DESTINATION, false,
                (remote, remotePort, listenPort) -> remote != null && inRange(normalised(remote.getAddress()), network, prefixBits));
    }

    /**
     * A host name as the app gave it ({@code db.internal}), or every name under a domain
     * ({@code *.internal}); never looked up in DNS.
     */
    static Condition host(String pattern) {
        String lower = pattern.toLowerCase(Locale.ROOT);
        return new Condition(Kind.DESTINATION, true, (remote, remotePort, listenPort) -> {
            String name = remote == null ? null : nameOf(remote);
            if (name == null) {
                return false;
            }
            name = name.toLowerCase(Locale.ROOT);
            return lower.startsWith("*.") ? name.endsWith(lower.substring(1)) : name.equals(lower);
        });
    }

    /** The name the address was made from, if any: the part before '/' of toString(), with no reverse lookup. */
    public static String nameOf(InetAddress address) {
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
