package dev.keepaliveagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code java -jar keepalive-agent.jar --version} says which build runs, with the jar's SHA-256 as
 * the build wrote it beside the jar, on every JDK (the forked one).
 */
class VersionIT {

    @Test
    void theVersionNamesTheBuildAndTheJarsSha256() throws Exception {
        assertVersion(TestJvm.java());
    }

    private static void assertVersion(Path java) throws Exception {
        Command version = Command.run(List.of(java.toString(), "-jar", TestJvm.agentJar().toString(),
                "--version"));
        assertEquals(0, version.exit, version::toString);
        assertEquals(List.of(), version.stderr, version::toString);
        assertEquals("keepalive-agent " + TestJvm.VERSION, version.stdout.get(0), version::toString);
        assertTrue(version.stdout.get(1).matches("build   " + Pattern.quote(TestJvm.VERSION) + "-bb[0-9.]+-[0-9a-f]{64}"), version::toString);
        assertEquals("jar     " + TestJvm.agentJar().toAbsolutePath(), version.stdout.get(3), version::toString);
        // "HASH  keepalive-agent.jar", as sha256sum writes and checks it.
        Path published = TestJvm.agentJar().resolveSibling("keepalive-agent.jar.sha256");
        String hash = Files.readString(published, StandardCharsets.US_ASCII).split(" ")[0];
        assertEquals("sha256  " + hash, version.stdout.get(4), version::toString);
        assertEquals(5, version.stdout.size(), version::toString);
    }
}
