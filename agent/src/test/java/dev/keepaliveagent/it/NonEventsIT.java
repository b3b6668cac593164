package dev.keepaliveagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Reads that end without the peer dying are never logged as a dead peer; a real reset is. */
class NonEventsIT {

    @Test
    void onlyTheRealResetIsADeadPeer() throws Exception {
        try (ForkedJvm child = ForkedJvm.start("idle=600", NonEventsScenario.class.getName())) {
            child.awaitSuccess(Duration.ofSeconds(60));
            Map<String, String> cases = child.stdout().stream().filter(line -> line.startsWith("CASE "))
                    .collect(Collectors.toMap(line -> line.split(" ")[1], Function.identity()));
            assertTrue(cases.get("end-of-stream").endsWith("returned -1"), cases::toString);
            assertTrue(cases.get("socket-closed-by-the-app").contains("threw java.net.SocketException: Socket closed"),
                    cases::toString);
            assertTrue(cases.get("read-timeout").contains("threw java.net.SocketTimeoutException"), cases::toString);
            assertTrue(cases.get("channel-interrupted").contains("threw java.nio.channels.ClosedByInterruptException"),
                    cases::toString);
            assertTrue(cases.get("channel-closed-by-the-app").contains("threw java.nio.channels.AsynchronousCloseException"),
                    cases::toString);
            assertTrue(cases.get("async-closed-by-the-app").contains("threw java.nio.channels.AsynchronousCloseException"),
                    cases::toString);
            assertTrue(cases.get("write-after-own-close").contains("threw java.nio.channels.ClosedChannelException"),
                    cases::toString);
            String reset = cases.get("reset");
            assertTrue(reset.contains("threw java.net.SocketException: Connection reset"), reset);
            String resetPort = reset.split(" ")[2].substring("local=".length());

            List<String> deadPeerLines = child.stderr().stream().filter(line -> line.contains("dead peer"))
                    .collect(Collectors.toList());
            assertEquals(1, deadPeerLines.size(), () -> "only the reset is a dead peer: " + child.stderr());
            assertTrue(deadPeerLines.get(0).contains("(local 127.0.0.1:" + resetPort + ", connect): the peer reset the connection"),
                    deadPeerLines.get(0));
            assertTrue(child.stdout().contains("SUPPRESSED 0"), child.stdout()::toString);
        }
    }

    @Test
    void theAppSeesTheSameOutcomesWithAndWithoutTheAgent() throws Exception {
        List<String> plain = outcomes(null);
        assertEquals(NonEventsScenario.CASES, plain.size(), plain::toString);
        assertEquals(plain, outcomes("idle=600"));
    }

    private static List<String> outcomes(String agentArgs) throws Exception {
        try (ForkedJvm child = ForkedJvm.start(agentArgs, NonEventsScenario.class.getName())) {
            child.awaitSuccess(Duration.ofSeconds(60));
            return child.stdout().stream().filter(line -> line.startsWith("CASE "))
                    .map(line -> line.replaceAll("local=[0-9]+", "local=PORT")).collect(Collectors.toList());
        }
    }
}
