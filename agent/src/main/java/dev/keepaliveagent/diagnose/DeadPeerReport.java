package dev.keepaliveagent.diagnose;

import dev.keepaliveagent.config.KeepaliveOption;
import dev.keepaliveagent.config.Rule;
import dev.keepaliveagent.config.Settings;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The one WARN line for a connection whose peer died, and its fields for JSON: what an on-call engineer needs to act. */
public final class DeadPeerReport {

    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final String how;
    private final DeadPeerCause cause;
    private final long livedNanos;
    private final Settings settings;
    private final Throwable failure;

    /** {@code failure} is the app's exception, null where none was seen (a rescued connection). */
    public DeadPeerReport(InetSocketAddress remote, InetSocketAddress local, String how, DeadPeerCause cause,
                          long livedNanos, Settings settings, Throwable failure) {
        this.remote = remote;
        this.local = local;
        this.how = how;
        this.cause = cause;
        this.livedNanos = livedNanos;
        this.settings = settings;
        this.failure = failure;
    }

    public DeadPeerCause cause() {
        return cause;
    }

    /**
     * E.g. {@code dead peer orders-db.internal/10.0.4.12:5432 (local 10.0.4.7:40312, connect): no answer from the peer
     * (…): it is down, or unreachable; the connection had lived 2h13m05s; keepalive idle=120s
     * intvl=30s cnt=4; the kernel said: Connection timed out}.
     */
    public String line() {
        String words = cause == DeadPeerCause.USER_TIMEOUT
                ? "no acknowledgement for " + settings.get(KeepaliveOption.UTIMEOUT) + " ms (user timeout): the peer is down,"
                        + " or unreachable"
                : cause.plainWords();
        String host = hostName(remote);
        return "dead peer " + (host == null ? "" : host + "/") + address(remote) + " (local " + address(local) + ", " + how + "): "
                + words
                + (how.startsWith("rescued") ? "; it died " + duration(livedNanos) + " after the attach (its age is unknown)"
                        : "; the connection had lived " + duration(livedNanos))
                + "; keepalive " + settings
                + (failure == null ? "" : "; the kernel said: " + failure.getMessage());
    }

    /**
     * The same facts as fields, named as in the {@code keepalive.DeadPeer} JFR event, for a log line
     * in JSON: {@code connectionAge} in milliseconds, {@code kernelMessage} null without a failure.
     */
    public Map<String, Object> fields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("event", "keepalive.DeadPeer");
        fields.put("remote", address(remote));
        fields.put("host", hostName(remote));
        fields.put("local", address(local));
        fields.put("kind", how);
        fields.put("cause", cause.name());
        fields.put("causeInWords", cause.plainWords());
        fields.put("connectionAge", TimeUnit.NANOSECONDS.toMillis(livedNanos));
        fields.put("settings", settings.toString());
        fields.put("kernelMessage", failure == null ? null : failure.getMessage());
        return fields;
    }

    /**
     * The name the app connected to, where it connected by name ({@link Rule#nameOf}, as rules match it);
     * null where it gave an address, or an unresolved one (then named by the address). Never a lookup of the
     * agent's own: a reverse lookup on the path of a failing connection could hang as long as the resolver.
     */
    public static String hostName(InetSocketAddress address) {
        if (address == null || address.getAddress() == null) {
            return null; // unresolved: the remote address is the name itself
        }
        String name = Rule.nameOf(address.getAddress());
        return name == null || name.equals(address.getAddress().getHostAddress()) ? null : name;
    }

    /** The peer as a log line names it: its address, or "an unknown peer". */
    public static String peer(InetSocketAddress remote) {
        return remote == null ? "an unknown peer" : address(remote);
    }

    public static String address(InetSocketAddress address) {
        if (address == null) {
            return "?";
        }
        InetAddress ip = address.getAddress();
        String host = ip == null ? address.getHostString()
                : ip instanceof Inet6Address ? shortForm((Inet6Address) ip) : ip.getHostAddress();
        // An IPv4 peer of a dual-stack socket is shown as IPv4, as operators know it.
        if (host.startsWith("::ffff:") && host.indexOf('.') > 0) {
            host = host.substring(7);
        }
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /**
     * An IPv6 address as RFC 5952 writes it and operators type it ({@code fd77:77::1}), not the JDK's full
     * form ({@code fd77:77:0:0:0:0:0:1}): the longest run of two or more zero groups, the first of equals, as
     * {@code ::}; lower-case hex without leading zeros; the scope kept.
     */
    static String shortForm(Inet6Address ip) {
        byte[] bytes = ip.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (bytes[2 * i] & 0xff) << 8 | bytes[2 * i + 1] & 0xff;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int start = 0; start < 8; start++) {
            int length = 0;
            while (start + length < 8 && groups[start + length] == 0) {
                length++;
            }
            if (length > bestLength) {
                bestStart = start;
                bestLength = length;
            }
        }
        StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        String full = ip.getHostAddress();
        int scope = full.indexOf('%');
        return scope < 0 ? text.toString() : text + full.substring(scope);
    }

    static String duration(long nanos) {
        long seconds = Math.max(0, nanos / 1_000_000_000L);
        long hours = seconds / 3600;
        long minutes = seconds / 60 % 60;
        long secs = seconds % 60;
        if (hours > 0) {
            return String.format("%dh%02dm%02ds", hours, minutes, secs);
        }
        if (minutes > 0) {
            return String.format("%dm%02ds", minutes, secs);
        }
        return secs + "s";
    }
}
