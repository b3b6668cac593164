package dev.keepaliveagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The demo of README's first line, run as a user would, and its story checked. */
class DemoIT {

    @Test
    void theDemoShowsTheClientWithTheAgentToldAndTheOtherStillBlocked() throws Exception {
        NetworkLab.create().close(); // skips (or fails under CI) where namespaces cannot be made
        Path script = TestJvm.agentJar().getParent().getParent().getParent().resolve("demo-app/run-demo.sh");
        ProcessBuilder builder = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
        builder.environment().put("JAVA", TestJvm.java().toString());
        builder.environment().put("XDG_CACHE_HOME", TestJvm.cacheHome().toString());
        Process demo = builder.start();
        String output = new String(demo.getInputStream().readAllBytes());
        assertTrue(demo.waitFor(Duration.ofMinutes(2).toSeconds(), java.util.concurrent.TimeUnit.SECONDS), output);
        assertEquals(0, demo.exitValue(), output);

        assertTrue(output.contains("timer:(keepalive,"), output);
        assertTrue(output.contains("[with agent]     [keepalive-agent] WARN: dead peer "), output);
        assertTrue(output.contains("client: read failed after"), output);
        Matcher result = Pattern.compile("DEMO-RESULT detected_after_s=([0-9.]+) bound_s=([0-9]+) plain_client_still_blocked=(\\w+)")
                .matcher(output);
        assertTrue(result.find(), output);
        double detected = Double.parseDouble(result.group(1));
        int bound = Integer.parseInt(result.group(2));
        assertTrue(detected <= bound + 2, output);
        assertEquals("yes", result.group(3), output);
        assertEquals(List.of(), List.of(output.split("\n")).stream()
                .filter(line -> line.startsWith("[without agent]") && line.contains("read failed")).collect(java.util.stream.Collectors.toList()));
    }
}
