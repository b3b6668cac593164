package dev.keepaliveagent.diagnose;

import dev.keepaliveagent.config.KeepaliveSettings;
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
    private final KeepaliveSettings settings;
    private final Throwable failure;

    /** {@code failure} is the app's exception, null where none was seen (a rescued connection). */
    public DeadPeerReport(InetSocketAddress remote, InetSocketAddress local, String how, DeadPeerCause cause,
                          long livedNanos, KeepaliveSettings settings, Throwable failure) {
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
     * E.g. {@code dead peer 10.0.4.12:5432 (local 10.0.4.7:40312, connect): no answer from the peer
     * (…): it is down, or unreachable; the connection had lived 2h13m05s; keepalive idle=120s
     * intvl=30s cnt=4; the kernel said: Connection timed out}.
     */
    public String line() {
        String words = cause == DeadPeerCause.USER_TIMEOUT
                ? "no acknowledgement for " + settings.userTimeoutMillis() + " ms (user timeout): the peer is down, or unreachable"
                : cause.plainWords();
        return "dead peer " + address(remote) + " (local " + address(local) + ", " + how + "): "
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
        fields.put("local", address(local));
        fields.put("kind", how);
        fields.put("cause", cause.name());
        fields.put("causeInWords", cause.plainWords());
        fields.put("connectionAge", TimeUnit.NANOSECONDS.toMillis(livedNanos));
        fields.put("settings", settings.toString());
        fields.put("kernelMessage", failure == null ? null : failure.getMessage());
        return fields;
    }

    public static String address(InetSocketAddress address) {
        if (address == null) {
            return "?";
        }
        InetAddress ip = address.getAddress();
        String host = ip == null ? address.getHostString() : ip.getHostAddress();
        // An IPv4 peer of a dual-stack socket is shown as IPv4, as operators know it.
        if (host.startsWith("::ffff:") && host.indexOf('.') > 0) {
            host = host.substring(7);
        }
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
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
