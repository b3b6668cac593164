package dev.keepaliveagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent loaded before ours that changes the JDK class ours weaves ({@link ConnectMarkerAgent}, on
 * {@code Net}) keeps its change, whether or not the change shows in the class's shape: ours weaves the
 * bytes the JVM hands over, not the runtime image's, whenever what they say differs. Twice, the second
 * time from the cache of woven classes, which is keyed on what those bytes say.
 */
class OtherAgentChangesIT {

    private static final Duration START = Duration.ofSeconds(60);

    @Test
    void anotherAgentsChangeToNetConnectSurvivesOursAlsoFromTheCache(@TempDir Path temporary) throws Exception {
        startTwice(temporary, "", "MARKER set by another agent KEEPALIVE true IDLE 321 MESSAGE " + ConnectMarkerAgent.MESSAGE);
    }

    /** A change no method's length, stack or handlers show: one of Net's messages, its text replaced in place. */
    @Test
    void anotherAgentsChangeThatKeepsTheShapeSurvivesOursAlsoFromTheCache(@TempDir Path temporary) throws Exception {
        startTwice(temporary, "=same-shape", "MARKER null KEEPALIVE true IDLE 321 MESSAGE " + ConnectMarkerAgent.CHANGED_MESSAGE);
    }

    private static void startTwice(Path temporary, String markerArguments, String expected) throws Exception {
        Path markerAgent = markerAgentJar(temporary);
        Path cache = Files.createDirectory(temporary.resolve("cache"));
        for (String start : new String[] {"woven anew", "from the cache"}) {
            // The other agent first, its premain done before ours begins; ours given by hand, after it.
            List<String> agents = List.of("-javaagent:" + markerAgent + markerArguments,
                    "-javaagent:" + TestJvm.agentJar() + "=idle=321,cache=" + cache, ScenarioLauncher.AWAIT);
            try (ForkedJvm app = ForkedJvm.start(null, agents, List.of(), ConnectMarkerAgent.class.getName())) {
                assertEquals(expected, app.awaitLine("MARKER", START), () -> start + ": " + app.stderr());
                app.awaitSuccess(START);
                if (start.equals("from the cache")) {
                    String startUp = app.awaitStderr("classes from the cache", START);
                    assertEquals(true, !startUp.contains(" 0 of "), () -> "nothing came from the cache: " + startUp);
                }
            }
        }
    }

    private static Path markerAgentJar(Path directory) throws IOException, URISyntaxException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Premain-Class", ConnectMarkerAgent.class.getName());
        main.putValue("Can-Retransform-Classes", "true");
        // Its ASM is Byte Buddy's, from the jar the tests run with.
        Path byteBuddy = Paths.get(net.bytebuddy.jar.asm.ClassReader.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        main.putValue("Class-Path", byteBuddy.toUri().toString());
        Path jar = directory.resolve("connect-marker-agent.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            for (String name : new String[] {"ConnectMarkerAgent", "ConnectMarkerAgent$1", "ConnectMarkerAgent$1$1"}) {
                String entry = "dev/keepaliveagent/it/" + name + ".class";
                out.putNextEntry(new JarEntry(entry));
                try (java.io.InputStream in = OtherAgentChangesIT.class.getClassLoader().getResourceAsStream(entry)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        return jar;
    }
}
