package dev.keepaliveagent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class AgentStatusTest {

    @Test
    void aJvmWithoutTheAgentsSettingsRunsNoAgent() {
        assertNull(AgentStatus.of(new Properties()));
    }

    @Test
    void countsAreReadAsPublishedInTheirOrder() {
        Properties published = published("7", "1", "0");
        published.setProperty("dev.keepaliveagent.hooked", "Net.connect,NioSocketImpl.accept,AbstractPlainSocketImpl.close");
        published.setProperty("dev.keepaliveagent.readBackMismatches", "");
        AgentStatus status = AgentStatus.of(published);
        assertEquals("9.9.9", status.version);
        assertEquals("idle=5s (args)", status.settings);
        assertEquals(7, status.counts.configured);
        assertEquals(1, status.counts.deadPeers);
        assertEquals(List.of("Net.connect", "NioSocketImpl.accept", "AbstractPlainSocketImpl.close"), status.counts.hooked);
        assertEquals(List.of(), status.counts.readBackMismatches);
    }

    @Test
    void countsThatAreMissingOrNotNumbersAreNotCounts() {
        Properties older = new Properties();
        older.setProperty("dev.keepaliveagent.version", "0.0.9");
        older.setProperty("dev.keepaliveagent.settings", "idle=5s (args)");
        assertNull(AgentStatus.of(older).counts, "an older agent publishes its settings only");
        Properties unknown = published("unknown", "0", "0");
        unknown.setProperty("dev.keepaliveagent.hooked", "");
        unknown.setProperty("dev.keepaliveagent.readBackMismatches", "");
        assertNull(AgentStatus.of(unknown).counts);
    }

    /** What doctor and attach read from another process is text: the command has no way to deserialise it. */
    @Test
    void theCommandsHaveNoJmxRmiOrObjectStreamToDeserialiseWith() throws IOException {
        Path classes = Paths.get(AgentStatus.class.getProtectionDomain().getCodeSource().getLocation().getPath(),
                "dev", "keepaliveagent", "cli");
        try (Stream<Path> files = Files.list(classes)) {
            List<Path> all = files.filter(f -> f.toString().endsWith(".class")).collect(java.util.stream.Collectors.toList());
            assertFalse(all.isEmpty(), classes::toString);
            for (Path file : all) {
                String constants = new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
                for (String forbidden : new String[] {"javax/management", "java/rmi", "java/io/ObjectInputStream"}) {
                    assertFalse(constants.contains(forbidden), () -> file.getFileName() + " refers to " + forbidden);
                }
            }
        }
    }

    private static Properties published(String configured, String deadPeers, String suppressed) {
        Properties published = new Properties();
        published.setProperty("dev.keepaliveagent.version", "9.9.9");
        published.setProperty("dev.keepaliveagent.settings", "idle=5s (args)");
        published.setProperty("dev.keepaliveagent.configured", configured);
        published.setProperty("dev.keepaliveagent.deadPeers", deadPeers);
        published.setProperty("dev.keepaliveagent.suppressedErrors", suppressed);
        published.setProperty("dev.keepaliveagent.refusedInstalls", "0");
        return published;
    }
}
