package dev.keepaliveagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Unix-domain sockets are left alone on every path: accepted, read, written, failed and closed, with
 * the agent at {@code log=debug}, it writes not one line about them.
 */
class UnixSocketsIT {

    @Test
    void unixDomainChannelsAreLeftAloneOnEveryPath() throws Exception {
        int jdk = TestJvm.feature();
        if (jdk < 16) {
            Assumptions.abort("not on JDK " + jdk + ": Unix-domain channels need JDK 16");
        }
        try (ForkedJvm app = ForkedJvm.start("log=debug", List.of(), List.of(), UnixSocketsScenario.class.getName())) {
            String done = app.awaitLine("DONE", Duration.ofSeconds(60));
            assertTrue(done.contains("Broken pipe") || done.contains("IOException"), done);
            app.awaitSuccess(Duration.ofSeconds(60));
            List<String> aboutConnections = app.stderr().stream()
                    .filter(line -> line.startsWith("[keepalive-agent] ") && !line.contains("keepalive-agent " + TestJvm.VERSION + " on JDK")
                            && !line.contains("DEBUG: hooked: ") && !line.contains("DEBUG: start-up phases")
                            && !line.contains("DEBUG: woven"))
                    .collect(Collectors.toList());
            assertEquals(List.of(), aboutConnections, () -> String.join("\n", app.stderr()));
        }
    }
}
