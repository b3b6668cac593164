package dev.keepaliveagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code logformat=json}: every line the agent writes, from start-up to a dead peer in Chinese, is
 * one JSON object a real parser reads, and the dead peer's object holds what the JFR event holds.
 */
class JsonLogIT {

    private static final Duration START = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyLineIsAJsonObjectAndTheDeadPeerHasTheEventsFields(@TempDir Path directory) throws Exception {
        int port = 7000;
        Path recording = directory.resolve("dead-peer.jfr");
        try (NetworkLab lab = NetworkLab.create();
             ForkedJvm server = ForkedJvm.startIn(lab.onServer(), null, List.of(), List.of(),
                     DeadPeerScenario.class.getName(), "hold-server", String.valueOf(port))) {
            server.awaitLine("LISTENING", START);
            try (ForkedJvm client = ForkedJvm.startIn(TestLocales.environment("zh_CN.UTF-8"), lab.onClient(),
                    "idle=3,intvl=1,cnt=3,logformat=json",
                    List.of("-XX:StartFlightRecording=filename=" + recording + ",dumponexit=true"), List.of(),
                    DeadPeerScenario.class.getName(), "client", "socket", NetworkLab.SERVER_NAME, String.valueOf(port))) {
                client.awaitLine("CONNECTED", START);
                lab.cutServerSide();
                String failed = client.awaitLine("FAILED", Duration.ofSeconds(15));
                DeadPeerChecks.assertTimedOutIn("zh_CN.UTF-8", failed);
                client.awaitLine("FAILED-AGAIN", Duration.ofSeconds(10));
                DeadPeerChecks.onlyDeadPeerLine(client);
                client.release();
                client.awaitSuccess(START);

                List<JsonNode> lines = new ArrayList<>();
                for (String line : client.stderr()) {
                    if (line.matches("\\[[0-9.]+s\\]\\[.*") || line.isBlank()) {
                        continue; // the JVM's own lines about the recording ("[0.412s][info][jfr,startup] ...")
                    }
                    lines.add(JSON.readTree(line)); // throws if a line of the agent's is not JSON
                }
                assertTrue(lines.size() >= 2, () -> "the start-up line and the dead peer: " + client.stderr());
                for (JsonNode line : lines) {
                    assertTrue(line.isObject(), line::toString);
                    Instant.parse(line.get("time").asText());
                    assertEquals("keepalive-agent", line.get("logger").asText(), line::toString);
                }
                assertEquals("INFO", lines.get(0).get("level").asText());
                assertTrue(lines.get(0).get("message").asText().startsWith("keepalive-agent " + TestJvm.VERSION + " on JDK "), lines.get(0)::toString);

                List<JsonNode> deadPeers = lines.stream().filter(line -> line.has("event")).collect(Collectors.toList());
                assertEquals(1, deadPeers.size(), lines::toString);
                JsonNode line = deadPeers.get(0);
                assertEquals("WARN", line.get("level").asText());
                assertEquals("keepalive.DeadPeer", line.get("event").asText());
                // The app connected by name (the client host's own hosts file has it): the name beside the address.
                assertTrue(line.get("message").asText().startsWith("dead peer " + NetworkLab.SERVER_NAME + "/" + NetworkLab.SERVER_IP
                        + ":" + port + " (local " + NetworkLab.CLIENT_IP + ":"), line::toString);
                assertEquals(NetworkLab.SERVER_NAME, line.get("host").asText());
                assertEquals(NetworkLab.SERVER_IP + ":" + port, line.get("remote").asText());
                assertEquals(DeadPeerChecks.messageOf(failed), line.get("kernelMessage").asText(), "the kernel's words, in Chinese");

                List<RecordedEvent> events = RecordingFile.readAllEvents(recording).stream()
                        .filter(event -> event.getEventType().getName().equals("keepalive.DeadPeer"))
                        .collect(Collectors.toList());
                assertEquals(1, events.size(), events::toString);
                RecordedEvent event = events.get(0);
                for (String field : List.of("remote", "host", "local", "kind", "cause", "causeInWords", "settings", "kernelMessage")) {
                    assertEquals(event.getString(field), line.get(field).asText(), field);
                }
                assertEquals("TIMED_OUT", line.get("cause").asText());
                assertEquals(event.getDuration("connectionAge").toMillis(), line.get("connectionAge").asLong());
            }
        }
    }
}
