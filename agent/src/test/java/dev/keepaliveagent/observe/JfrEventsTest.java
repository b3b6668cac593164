package dev.keepaliveagent.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keepaliveagent.config.Settings;
import dev.keepaliveagent.config.TestSettings;
import dev.keepaliveagent.diagnose.DeadPeerCause;
import dev.keepaliveagent.diagnose.DeadPeerReport;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's JFR events: built only while a recording has them enabled, with the fields an
 * operator reads in {@code jfr print}. Each test starts with no recording running.
 */
class JfrEventsTest {

    private static final InetSocketAddress PEER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 5432);
    private static final Settings SETTINGS = TestSettings.of(120, 30, 4, 240_000);

    @Test
    void withNoRecordingTheEventsCostNoAllocation() throws Exception {
        Telemetry telemetry = new Telemetry();
        telemetry.watchFlightRecorder(about(telemetry));
        FlightRecorder.getFlightRecorder(); // the recorder is up, as with jcmd JFR.start, but records nothing now
        assertTrue(telemetry.jfrActive(), "registered once the recorder is up");
        DeadPeerReport deadPeer = new DeadPeerReport(PEER, PEER, "connect", DeadPeerCause.TIMED_OUT, 1, SETTINGS, null);
        long bytes = allocatedBy(() -> {
            for (int i = 0; i < 100_000; i++) {
                telemetry.configured("connect", PEER, SETTINGS);
                telemetry.deadPeer(deadPeer);
            }
        });
        // One small object per event would be megabytes; the odd few bytes are the JVM's own (a JIT compilation, say).
        assertTrue(bytes < 1024, () -> bytes + " bytes allocated by 200,000 events no recording wants");
    }

    @Test
    void aRecordingWithTheEventsEnabledHoldsThemWithTheirFields(@TempDir Path directory) throws Exception {
        Telemetry telemetry = new Telemetry();
        telemetry.watchFlightRecorder(about(telemetry));
        Path file = directory.resolve("events.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("keepalive.SocketConfigured");
            recording.enable("keepalive.DeadPeer");
            recording.enable("keepalive.SocketNotConfigured");
            recording.enable("keepalive.Agent").with("period", "endChunk");
            recording.start();
            telemetry.configured("netty epoll connect", PEER, SETTINGS);
            telemetry.notConfigured("accept", PEER, "TCP_KEEPCOUNT", new java.io.IOException("Protocol not available"));
            telemetry.deadPeer(new DeadPeerReport(PEER, new InetSocketAddress(InetAddress.getLoopbackAddress(), 40312),
                    "accept", DeadPeerCause.RESET, Duration.ofMinutes(3).toNanos(), SETTINGS, new java.io.IOException("Connection reset")));
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
                .filter(event -> event.getEventType().getName().startsWith("keepalive."))
                .collect(Collectors.toList());
        RecordedEvent agent = events.stream().filter(event -> event.getEventType().getName().equals("keepalive.Agent"))
                .findFirst().orElseThrow(() -> new AssertionError("no keepalive.Agent event: " + events));
        assertEquals("9.8.7", agent.getString("version"));
        assertEquals("version=9.8.7 idle=600s intvl=30s cnt=4 utimeout=720s rules=0 mesh=none", agent.getString("info"));
        events.removeIf(event -> event.getEventType().getName().equals("keepalive.Agent"));
        assertEquals(3, events.size(), events::toString);

        RecordedEvent configured = only(events, "keepalive.SocketConfigured");
        assertEquals("netty epoll connect", configured.getString("kind"));
        assertEquals("127.0.0.1:5432", configured.getString("remote"));
        assertEquals("idle=120s intvl=30s cnt=4 utimeout=240s", configured.getString("settings"));

        RecordedEvent refused = only(events, "keepalive.SocketNotConfigured");
        assertEquals("TCP_KEEPCOUNT", refused.getString("option"));
        assertEquals("java.io.IOException: Protocol not available", refused.getString("error"));

        RecordedEvent dead = only(events, "keepalive.DeadPeer");
        assertEquals("RESET", dead.getString("cause"));
        assertEquals("the peer reset the connection: it restarted, or dropped the connection abruptly",
                dead.getString("causeInWords"));
        assertEquals("127.0.0.1:40312", dead.getString("local"));
        assertEquals(Duration.ofMinutes(3), dead.getDuration("connectionAge"));
        assertEquals("idle=120s intvl=30s cnt=4 utimeout=240s", dead.getString("settings"));
        assertEquals("Connection reset", dead.getString("kernelMessage"));
    }

    @Test
    void socketConfiguredIsOffByDefaultAndTheOthersOn() throws Exception {
        Telemetry telemetry = new Telemetry();
        telemetry.watchFlightRecorder(about(telemetry));
        java.util.Map<String, String> enabledByDefault = new java.util.TreeMap<>();
        for (jdk.jfr.EventType type : FlightRecorder.getFlightRecorder().getEventTypes()) {
            if (type.getName().startsWith("keepalive.")) {
                enabledByDefault.put(type.getName(), defaultOf(type, "enabled"));
            }
        }
        // SocketConfigured comes once per connection: off unless a recording asks for it.
        assertEquals(java.util.Map.of("keepalive.Agent", "true", "keepalive.DeadPeer", "true", "keepalive.SocketConfigured", "false",
                "keepalive.SocketNotConfigured", "true"), enabledByDefault);
    }

    /** The agent as its MBean describes it, version 9.8.7. */
    private static AgentMBean about(Telemetry telemetry) throws Exception {
        return new AgentMBean("9.8.7", dev.keepaliveagent.config.AgentArguments.load("idle=600", java.util.Map.of(),
                java.util.Map.of()), telemetry, () -> "none", () -> dev.keepaliveagent.diagnose.Mesh.NONE);
    }

    private static String defaultOf(jdk.jfr.EventType type, String setting) {
        return type.getSettingDescriptors().stream().filter(s -> s.getName().equals(setting)).findFirst()
                .orElseThrow().getDefaultValue();
    }

    private static RecordedEvent only(List<RecordedEvent> events, String name) {
        List<RecordedEvent> matching = events.stream().filter(e -> e.getEventType().getName().equals(name))
                .collect(Collectors.toList());
        assertEquals(1, matching.size(), name + " in " + events);
        return matching.get(0);
    }

    /** Bytes the current thread allocated running {@code work}, after a warm-up run; the least of three runs. */
    private static long allocatedBy(Runnable work) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        work.run();
        long least = Long.MAX_VALUE;
        for (int run = 0; run < 3; run++) {
            long before = threads.getThreadAllocatedBytes(thread);
            work.run();
            long after = threads.getThreadAllocatedBytes(thread);
            long measuring = threads.getThreadAllocatedBytes(thread) - after; // what the measurement itself costs
            least = Math.min(least, after - before - measuring);
        }
        return least;
    }
}
