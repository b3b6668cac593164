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
        Command demo = Command.run(List.of("bash", script.toString()), java.util.Map.of("JAVA", TestJvm.java().toString()),
                null, Duration.ofMinutes(3));
        String output = demo.out() + demo.err();
        assertEquals(0, demo.exit, output);

        assertTrue(output.contains("timer:(keepalive,"), output);
        assertTrue(output.contains("[with agent]     [keepalive-agent] WARN: dead peer "), output);
        assertTrue(output.contains("client: read failed after"), output);
        Matcher result = Pattern.compile("DEMO-RESULT detected_after_s=([0-9.]+) bound_s=([0-9]+) plain_client_still_blocked=(\\w+)")
                .matcher(output);
        assertTrue(result.find(), output);
        // The demo's settings, idle=5,intvl=2,cnt=3, give a bound of 5 + 2 x 3 = 11 s, counted from the last
        // segment; the cut comes after it, so the client is told no sooner than the idle time and at most one
        // probe interval (the kernel's timer granularity, the JVM's print) after the bound.
        assertEquals(11, Integer.parseInt(result.group(2)), output);
        double detected = Double.parseDouble(result.group(1));
        assertTrue(detected >= 5 && detected <= 11 + 2, output);
        assertEquals("yes", result.group(3), output);
        assertEquals(List.of(), List.of(output.split("\n")).stream()
                .filter(line -> line.startsWith("[without agent]") && line.contains("read failed")).collect(java.util.stream.Collectors.toList()));
    }
}
