package dev.keepaliveagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Code the agent knows nothing about is covered: the JDK's HttpClient and HttpServer. */
class LibrariesIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void theJdkHttpClientsPooledConnectionCarriesKeepaliveOnBothEnds() throws Exception {
        assertEquals(List.of(true, true), timersOfTheHttpConnection("idle=444"));
    }

    @Test
    void withoutTheAgentItHasNone() throws Exception {
        assertEquals(List.of(false, false), timersOfTheHttpConnection(null));
    }

    /** Whether each end of the connection to the HTTP server's port has a keepalive timer of at most 444 s. */
    private static List<Boolean> timersOfTheHttpConnection(String agentArgs) throws Exception {
        int jdk = TestJvm.feature();
        if (jdk < 11) {
            org.junit.jupiter.api.Assumptions.abort("not on JDK " + jdk + ": the JDK's HttpClient (java.net.http) needs JDK 11");
        }
        try (ForkedJvm child = ForkedJvm.start(agentArgs, HttpClientScenario.class.getName())) {
            assertTrue(child.awaitLine("RESPONSE", TIMEOUT).equals("RESPONSE 200 hello"));
            int port = Integer.parseInt(child.awaitLine("SERVER-PORT", TIMEOUT).split(" ")[1]);
            List<Boolean> timers = new ArrayList<>();
            for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
                for (String line : Files.readAllLines(Paths.get(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length < 6 || f[0].equals("sl") || !f[3].equals("01")) {
                        continue;
                    }
                    int local = Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1), 16);
                    int remote = Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1), 16);
                    if (local == port || remote == port) {
                        String[] timer = f[5].split(":");
                        timers.add(timer[0].equals("02") && Long.parseLong(timer[1], 16) <= 44_400);
                    }
                }
            }
            child.release();
            assertFalse(timers.isEmpty(), "the pooled connection is in the kernel's tables");
            return timers;
        }
    }
}
