package dev.keepaliveagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.tools.attach.VirtualMachine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the JVM's own tools show of the agent, read from outside the process: its MBean over JMX
 * (reached through the attach API, as jconsole does) and its events in a JFR recording.
 */
class ObservabilityIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectName NAME = objectName("dev.keepaliveagent:type=KeepaliveAgent");

    @Test
    void theMBeanCountsWhatTheAppDid() throws Exception {
        try (ForkedJvm child = ForkedJvm.start("idle=600,intvl=60,cnt=20", ConnectionScenario.class.getName(),
                "channel-open")) {
            child.awaitLine("READY", TIMEOUT);
            try (JMXConnector jmx = connect(child.pid())) {
                MBeanServerConnection server = jmx.getMBeanServerConnection();
                Map<String, Long> configured = map(server.getAttribute(NAME, "ConfiguredConnections"));
                assertEquals(1L, configured.get("connect"), configured::toString);
                // The app's own, and the connections this JMX client came in on (RMI opens them as it
                // needs them): the agent configures those too.
                long accepted = configured.get("accept");
                assertTrue(accepted >= 2 && accepted <= 6, configured::toString);
                assertEquals(Map.of("accept", accepted, "connect", 1L), configured);
                long total = (Long) server.getAttribute(NAME, "ConfiguredConnectionsTotal");
                long acceptedSince = map(server.getAttribute(NAME, "ConfiguredConnections")).get("accept");
                assertTrue(total >= 1 + accepted && total <= 1 + acceptedSince, () -> "total " + total + " of " + configured);
                assertEquals(0L, server.getAttribute(NAME, "DeadPeersTotal"));
                assertEquals(Map.of(), map(server.getAttribute(NAME, "RefusedOptions")));
                assertEquals(0L, server.getAttribute(NAME, "SuppressedErrors"));
                assertEquals(Map.of(), map(server.getAttribute(NAME, "ReadBackMismatches")), "the kernel has what was set");
                assertEquals(0L, server.getAttribute(NAME, "RescuedConnections"));
                String settings = (String) server.getAttribute(NAME, "Settings");
                assertTrue(settings.startsWith("idle=600s (args) intvl=60s (args) cnt=20 (args)"), settings);
                assertTrue(((String) server.getAttribute(NAME, "NettyNativeTransports")).startsWith("watched for"));
                assertTrue(((String) server.getAttribute(NAME, "Version")).startsWith("0."));
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
            try (JMXConnector jmx = connect(child.pid())) {
                MBeanServerConnection server = jmx.getMBeanServerConnection();
                Map<String, Long> configured = map(server.getAttribute(NAME, "ConfiguredConnections"));
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

    @Test
    void aRecordingHoldsTheDeadPeerEvent(@TempDir Path directory) throws Exception {
        int port = 7000;
        Path recording = directory.resolve("dead-peer.jfr");
        try (NetworkLab lab = NetworkLab.create();
             ForkedJvm server = ForkedJvm.startIn(lab.onServer(), null, List.of(), List.of(),
                     DeadPeerScenario.class.getName(), "hold-server", String.valueOf(port))) {
            server.awaitLine("LISTENING", TIMEOUT);
            try (ForkedJvm client = ForkedJvm.startIn(lab.onClient(), "idle=3,intvl=1,cnt=3",
                    List.of("-XX:StartFlightRecording=filename=" + recording + ",dumponexit=true"), List.of(),
                    DeadPeerScenario.class.getName(), "client", "channel", NetworkLab.SERVER_IP, String.valueOf(port))) {
                String connected = client.awaitLine("CONNECTED", TIMEOUT);
                lab.cutServerSide();
                client.awaitLine("FAILED", Duration.ofSeconds(15));
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
                assertEquals("Connection timed out", event.getString("kernelMessage"));
                long age = event.getDuration("connectionAge").toMillis();
                assertTrue(age >= 5_000 && age < 30_000, () -> "connection age " + age + " ms");
                assertTrue(Files.size(recording) > 0);
            }
        }
    }

    private static JMXConnector connect(long pid) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(String.valueOf(pid));
        try {
            return JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()));
        } finally {
            vm.detach();
        }
    }

    /** An MXBean's {@code Map<String, Long>} as JMX hands it over: a table of key and value rows. */
    private static Map<String, Long> map(Object tabular) {
        Map<String, Long> map = new TreeMap<>();
        for (Object row : ((TabularData) tabular).values()) {
            CompositeData entry = (CompositeData) row;
            map.put((String) entry.get("key"), (Long) entry.get("value"));
        }
        return map;
    }

    private static ObjectName objectName(String name) {
        try {
            return new ObjectName(name);
        } catch (javax.management.MalformedObjectNameException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
