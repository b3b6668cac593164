package dev.keepaliveagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The agent given twice, as happens when a platform team's JAVA_TOOL_OPTIONS meets an app's own
 * {@code -javaagent}: the first load wins every time, and one line names what the second would have made.
 */
class AgentGivenTwiceIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void javaToolOptionsComeFirstAndTheCommandLinesSettingsAreNamedAsIgnored() throws Exception {
        Map<String, String> environment = Map.of("JAVA_TOOL_OPTIONS", "-javaagent:" + TestJvm.agentJar() + "=idle=111");
        // Before, each load raced on a thread of its own: either won, 3 of 6 starts each. Three starts, one answer.
        for (int start = 0; start < 3; start++) {
            try (ForkedJvm child = ForkedJvm.startIn(environment, List.of(), "idle=222", List.of(), List.of(),
                    ConnectionScenario.class.getName(), "socket-constructor")) {
                SocketLine tested = SocketLine.parse(child.awaitLine("SOCKET tested", TIMEOUT));
                child.awaitLine("READY", TIMEOUT);
                assertEquals(111, tested.idle, tested::toString);
                child.release();
                child.awaitSuccess(TIMEOUT);
                List<String> lines = agentLines(child);
                assertTrue(lines.contains("[keepalive-agent] WARN: keepalive-agent is loaded a second time (-javaagent given"
                        + " twice, or in JAVA_TOOL_OPTIONS and on the command line; the first one loaded wins): ignored, with"
                        + " 'idle=222', which would have made idle=222s intvl=30s cnt=4 utimeout=342s; in force: idle=111s"
                        + " intvl=30s cnt=4 utimeout=231s"), lines::toString);
                assertEquals(1, lines.stream().filter(l -> l.contains(": keepalive-agent 0.")).count(),
                        () -> "one start-up line, the first load's: " + lines);
                assertTrue(lines.stream().anyMatch(l -> l.contains(": idle=111s (args) ")), lines::toString);
            }
        }
    }

    @Test
    void theSameAgentTwiceOnTheCommandLineSaysSoAndLoadsOnce() throws Exception {
        List<String> second = List.of("-javaagent:" + TestJvm.agentJar() + "=idle=600");
        try (ForkedJvm child = ForkedJvm.start("idle=600", second, List.of(), ConnectionScenario.class.getName(),
                "socket-constructor")) {
            SocketLine tested = SocketLine.parse(child.awaitLine("SOCKET tested", TIMEOUT));
            child.awaitLine("READY", TIMEOUT);
            assertEquals(600, tested.idle, tested::toString);
            child.release();
            child.awaitSuccess(TIMEOUT);
            List<String> lines = agentLines(child);
            assertTrue(lines.contains("[keepalive-agent] WARN: keepalive-agent is loaded a second time (-javaagent given twice,"
                    + " or in JAVA_TOOL_OPTIONS and on the command line; the first one loaded wins): ignored, with 'idle=600',"
                    + " the same settings as the first; in force: idle=600s intvl=30s cnt=4 utimeout=720s"), lines::toString);
        }
    }

    private static List<String> agentLines(ForkedJvm child) {
        return child.stderr().stream().filter(line -> line.startsWith("[keepalive-agent]")).collect(Collectors.toList());
    }
}
