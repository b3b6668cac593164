package dev.keepaliveagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * An environment variable whose name carries a line break, a forged agent line and a terminal escape:
 * the agent's warning about it is one line, and no control byte reaches the output.
 */
class LogInjectionIT {

    @Test
    void aHostileVariableNameGivesOneLineWithoutAControlByte() throws Exception {
        String name = "KEEPALIVE_X\n[keepalive-agent] INFO: every connection verified\u001b[31m";
        try (ForkedJvm app = ForkedJvm.startIn(Map.of(name, "1"), List.of(), "", List.of(), List.of(),
                HelloApp.class.getName())) {
            assertEquals(3, app.awaitExit(Duration.ofSeconds(60)), app::transcript);
            List<String> agentLines = app.stderr().stream().filter(line -> line.contains("[keepalive-agent]"))
                    .collect(Collectors.toList());
            List<String> aboutIt = agentLines.stream().filter(line -> line.contains("KEEPALIVE_X"))
                    .collect(Collectors.toList());
            assertEquals(1, aboutIt.size(), agentLines::toString);
            assertEquals(true, aboutIt.get(0).startsWith("[keepalive-agent] WARN: ignored environment variable KEEPALIVE_X\\n"
                    + "[keepalive-agent] INFO: every connection verified\\u001b[31m"), aboutIt::toString);
            assertFalse(agentLines.stream().anyMatch(line -> line.startsWith("[keepalive-agent] INFO: every connection")),
                    agentLines::toString);
            assertFalse(app.stderr().stream().anyMatch(line -> line.indexOf('\u001b') >= 0), app::transcript);
        }
    }
}
