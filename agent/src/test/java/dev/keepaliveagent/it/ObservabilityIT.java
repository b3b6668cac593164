package dev.keepaliveagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the JVM's own tools show of the agent, read from outside the process: its MBean over JMX
 * (reached through the attach API, as jconsole does) and its events in a JFR recording.
 */
class ObservabilityIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectName NAME = MBeanProbe.NAME;

    @Test
    void theMBeanCountsWhatTheAppDid() throws Exception {
        try (ForkedJvm child = ForkedJvm.start("idle=600,intvl=60,cnt=20", ConnectionScenario.class.getName(),
                "channel-open")) {
            child.awaitLine("READY", TIMEOUT);
            try (JMXConnector jmx = MBeanProbe.connect(child.pid())) {
                MBeanServerConnection server = jmx.getMBeanServerConnection();
                Map<String, Long> configured = MBeanProbe.map(server.getAttribute(NAME, "ConfiguredConnections"));
                assertEquals(1L, configured.get("connect"), configured::toString);
                // The app's own, and the connections this JMX client came in on (RMI opens them as it
                // needs them): the agent configures those too.
                long accepted = configured.get("accept");
                assertTrue(accepted >= 2 && accepted <= 6, configured::toString);
                assertEquals(Map.of("accept", accepted, "connect", 1L), configured);
                long total = (Long) server.getAttribute(NAME, "ConfiguredConnectionsTotal");
                long acceptedSince = MBeanProbe.map(server.getAttribute(NAME, "ConfiguredConnections")).get("accept");
                assertTrue(total >= 1 + accepted && total <= 1 + acceptedSince, () -> "total " + total + " of " + configured);
                assertEquals(0L, server.getAttribute(NAME, "DeadPeersTotal"));
                assertEquals(Map.of(), MBeanProbe.map(server.getAttribute(NAME, "RefusedOptions")));
                assertEquals(0L, server.getAttribute(NAME, "SuppressedErrors"));
                assertEquals("", server.getAttribute(NAME, "LastSuppressedError"));
                assertEquals(Map.of(), MBeanProbe.map(server.getAttribute(NAME, "ReadBackMismatches")), "the kernel has what was set");
                assertEquals(0L, server.getAttribute(NAME, "RescuedConnections"));
                String settings = (String) server.getAttribute(NAME, "Settings");
                assertTrue(settings.startsWith("idle=600s (args) intvl=60s (args) cnt=20 (args)"), settings);
                assertTrue(((String) server.getAttribute(NAME, "NettyNativeTransports")).startsWith("watched for"));
                assertTrue(((String) server.getAttribute(NAME, "Version")).startsWith("0."));
                List<String> hooked = List.of((String[]) server.getAttribute(NAME, "HookedMethods"));
                assertTrue(hooked.contains("Net.connect") && hooked.contains("Net.setSocketOption"), hooked::toString);
            }
            child.release();
            child.awaitSuccess(TIMEOUT);
        }
    }

    @Test
    void theMBeanCountsNettyConnectionsAndSaysNettySupportIsActive() throws Exception {
        try (ForkedJvm child = ForkedJvm.start("", List.of(), TestJvm.nettyJars("4.2"),
                NettyScenario.class.getName(), "epoll", "loopback")) {
            child.awaitLine("READY", TIMEOUT);
            try (JMXConnector jmx = MBeanProbe.connect(child.pid())) {
                MBeanServerConnection server = jmx.getMBeanServerConnection();
                Map<String, Long> configured = MBeanProbe.map(server.getAttribute(NAME, "ConfiguredConnections"));
                assertEquals(1L, configured.get("netty epoll accept"), configured::toString);
                assertEquals(1L, configured.get("netty epoll connect"), configured::toString);
                assertEquals(null, configured.get("connect"), "nothing else of the app's went through the JDK: " + configured);
                String netty = (String) server.getAttribute(NAME, "NettyNativeTransports");
                assertEquals("active in io.netty.channel.epoll (connections configured: epoll)", netty);
            }
            child.release();
            child.awaitSuccess(TIMEOUT);
        }
    }

    /** In every language the C library speaks: the same cause in the event and in the MBean's count. */
    @ParameterizedTest(name = "in {0}")
    @ValueSource(strings = {"C", "zh_CN.UTF-8", "de_DE.UTF-8"})
    void aRecordingAndTheMBeanHoldTheDeadPeer(String locale, @TempDir Path directory) throws Exception {
        int port = 7000;
        Path recording = directory.resolve("dead-peer.jfr");
        try (NetworkLab lab = NetworkLab.create();
             ForkedJvm server = ForkedJvm.startIn(lab.onServer(), null, List.of(), List.of(),
                     DeadPeerScenario.class.getName(), "hold-server", String.valueOf(port))) {
            server.awaitLine("LISTENING", TIMEOUT);
            try (ForkedJvm client = ForkedJvm.startIn(TestLocales.environment(locale), lab.onClient(), "idle=3,intvl=1,cnt=3",
                    List.of("-XX:StartFlightRecording=filename=" + recording + ",dumponexit=true"), List.of(),
                    DeadPeerScenario.class.getName(), "client", "channel", NetworkLab.SERVER_IP, String.valueOf(port))) {
                String connected = client.awaitLine("CONNECTED", TIMEOUT);
                lab.cutServerSide();
                String failed = client.awaitLine("FAILED", Duration.ofSeconds(15));
                DeadPeerChecks.assertTimedOutIn(locale, failed);
                try (ForkedJvm probe = ForkedJvm.startToolIn(lab.onClient(), MBeanProbe.class.getName(),
                        String.valueOf(client.pid()), "DeadPeers", "SuppressedErrors")) {
                    assertEquals("DeadPeers {TIMED_OUT=1}", probe.awaitLine("DeadPeers", TIMEOUT));
                    assertEquals("SuppressedErrors 0", probe.awaitLine("SuppressedErrors", TIMEOUT));
                    probe.awaitSuccess(TIMEOUT);
                }
                client.release();
                client.awaitSuccess(TIMEOUT);

                List<RecordedEvent> deadPeers = RecordingFile.readAllEvents(recording).stream()
                        .filter(event -> event.getEventType().getName().equals("keepalive.DeadPeer"))
                        .collect(Collectors.toList());
                assertEquals(1, deadPeers.size(), () -> "events: " + deadPeers);
                RecordedEvent event = deadPeers.get(0);
                assertEquals(NetworkLab.SERVER_IP + ":" + port, event.getString("remote"));
                assertTrue(connected.contains("local=/" + event.getString("local") + " "), () -> connected + " vs " + event);
                assertEquals("connect", event.getString("kind"));
                assertEquals("TIMED_OUT", event.getString("cause"));
                assertEquals("idle=3s intvl=1s cnt=3 utimeout=6s", event.getString("settings"));
                assertEquals(DeadPeerChecks.messageOf(failed), event.getString("kernelMessage"));
                long age = event.getDuration("connectionAge").toMillis();
                assertTrue(age >= 5_000 && age < 30_000, () -> "connection age " + age + " ms");
                List<RecordedEvent> agent = RecordingFile.readAllEvents(recording).stream()
                        .filter(recorded -> recorded.getEventType().getName().equals("keepalive.Agent"))
                        .collect(Collectors.toList());
                assertFalse(agent.isEmpty(), "a recording says which agent ran");
                assertEquals(TestJvm.VERSION, agent.get(0).getString("version"));
                assertTrue(agent.get(0).getString("info").startsWith("version=" + TestJvm.VERSION + " idle=3s intvl=1s cnt=3 "),
                        () -> agent.get(0).toString());
            }
        }
    }
}
