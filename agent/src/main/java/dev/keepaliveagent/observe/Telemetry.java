package dev.keepaliveagent.observe;

import dev.keepaliveagent.config.Settings;
import dev.keepaliveagent.diagnose.DeadPeerReport;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Where the tuners report what they did, for the JVM's own tools: counters for the MBean, and
 * JFR events while a recording wants them. Never throws; costs a counter increment and a
 * volatile read when no recording runs.
 */
public final class Telemetry {

    private final Counters configured = new Counters();
    private final Counters notConfigured = new Counters();
    private final Counters deadPeers = new Counters();
    private final Counters rescued = new Counters();
    private final Counters readBackMismatches = new Counters();
    private volatile RecorderEvents jfr;
    private volatile AgentMBean about;

    /**
     * Emits JFR events once the JVM's flight recorder is up, and in each chunk of a recording which agent
     * runs, as {@code about} says it; throws a {@code LinkageError} on a JDK without jdk.jfr (JDK 8 before 8u262).
     */
    public void watchFlightRecorder(AgentMBean about) {
        this.about = about;
        try {
            @SuppressWarnings("unchecked")
            Consumer<Telemetry> watch = (Consumer<Telemetry>) Class.forName(
                    "dev.keepaliveagent.observe.JfrEvents$Watch").newInstance();
            watch.accept(this);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the agent's JFR events are missing from its jar: " + e, e);
        }
    }

    AgentMBean about() {
        return about;
    }

    /** JFR events from now on (the recorder is up); before, none are made. */
    void emitTo(RecorderEvents events) {
        this.jfr = events;
    }

    /** A connection got every option its settings ask for; {@code kind}: connect, accept, netty epoll connect... */
    public void configured(String kind, InetSocketAddress remote, Settings applied) {
        configured.increment(kind);
        RecorderEvents events = jfr;
        if (events != null) {
            events.configured(kind, remote, applied);
        }
    }

    /** The platform refused {@code option} on a connection. */
    public void notConfigured(String kind, InetSocketAddress remote, String option, Throwable why) {
        notConfigured.increment(option);
        RecorderEvents events = jfr;
        if (events != null) {
            events.notConfigured(kind, remote, option, why);
        }
    }

    public void deadPeer(DeadPeerReport report) {
        deadPeers.increment(report.cause().name());
        RecorderEvents events = jfr;
        if (events != null) {
            events.deadPeer(report);
        }
    }

    /** The kernel did not have what the agent set on the first connection of {@code kind}. */
    public void readBackMismatch(String kind) {
        readBackMismatches.increment(kind);
    }

    public Map<String, Long> readBackMismatchesByKind() {
        return readBackMismatches.snapshot();
    }

    /** A connection open before the attach was configured. */
    public void rescued() {
        rescued.increment("rescued");
    }

    public long configuredTotal() {
        return configured.total();
    }

    public long deadPeersTotal() {
        return deadPeers.total();
    }

    public Map<String, Long> configuredByKind() {
        return configured.snapshot();
    }

    public Map<String, Long> notConfiguredByOption() {
        return notConfigured.snapshot();
    }

    public Map<String, Long> deadPeersByCause() {
        return deadPeers.snapshot();
    }

    public long rescuedConnections() {
        return rescued.get("rescued");
    }

    /** Whether JFR events are being made (a recorder runs in this JVM). */
    public boolean jfrActive() {
        return jfr != null;
    }
}
