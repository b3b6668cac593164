package dev.keepaliveagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * JDK 21+: two thousand virtual threads, each blocked in read on its own connection to a server whose
 * link is then cut. Each gets its exception within the keepalive bound and each connection its one
 * dead-peer line; no virtual thread parks while pinned in the agent's code, which runs on them
 * ({@code -Djdk.tracePinnedThreads=full} prints the stack of any that does, on JDK 21 to 23). A wait
 * on a monitor ({@code Object.wait}, {@code Thread.join}) pins without being reported there: the
 * agent has none on these paths (its log's first initialisation waits on a latch).
 */
class VirtualThreadsIT {

    private static final int PORT = 7000;
    private static final int CONNECTIONS = 2000;
    private static final Duration START = Duration.ofSeconds(120);

    @Test
    void thousandsOfVirtualThreadsReadingFromDeadPeersAreEachToldWithinTheBound() throws Exception {
        int jdk = TestJvm.feature();
        if (jdk < 21) {
            Assumptions.abort("not on JDK " + jdk + ": virtual threads need JDK 21");
        }
        try (NetworkLab lab = NetworkLab.create();
             ForkedJvm server = ForkedJvm.startIn(lab.onServer(), null, List.of(), List.of(),
                     VirtualThreadsScenario.class.getName(), "hold-server", String.valueOf(PORT))) {
            server.awaitLine("LISTENING", START);
            try (ForkedJvm clients = ForkedJvm.startIn(lab.onClient(), "idle=2,intvl=1,cnt=3",
                    List.of("-Djdk.tracePinnedThreads=full"), List.of(), VirtualThreadsScenario.class.getName(),
                    "clients", String.valueOf(CONNECTIONS), NetworkLab.SERVER_IP, String.valueOf(PORT))) {
                clients.awaitLine("READING " + CONNECTIONS, START);
                server.awaitLine("ACCEPTED " + CONNECTIONS, START);
                lab.cutServerSide();
                long cut = System.nanoTime();
                String failed = clients.awaitLine("FAILED", Duration.ofSeconds(60));
                Duration told = Duration.ofNanos(System.nanoTime() - cut);
                System.out.println("virtual threads: " + CONNECTIONS + " reads failed within " + told.toMillis()
                        + " ms of the cut; " + failed);
                assertTrue(failed.endsWith("{java.net.SocketException: Connection timed out=" + CONNECTIONS + "}"), failed);
                // idle + intvl x cnt = 2 + 1 x 3 = 5 s from the last packet, which was before the cut; then 2,000
                // threads wake, fail and are logged, on a machine busy with other test classes: seconds more.
                assertTrue(told.compareTo(Duration.ofSeconds(5 + 10)) <= 0, "told " + told.toMillis() + " ms after the cut");

                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                List<String> lines;
                do {
                    lines = clients.stderr().stream().filter(l -> l.contains("WARN: dead peer " + NetworkLab.SERVER_IP + ":" + PORT))
                            .collect(Collectors.toList());
                } while (lines.size() < CONNECTIONS && System.nanoTime() < deadline && pause());
                Set<String> connections = lines.stream().map(l -> l.replaceAll(".*\\(local ([^,]+),.*", "$1"))
                        .collect(Collectors.toSet());
                assertEquals(CONNECTIONS, lines.size(), "one line per connection");
                assertEquals(CONNECTIONS, connections.size(), "each connection once");
                assertTrue(lines.stream().allMatch(l -> l.contains(": no answer from the peer (keepalive probes or"
                        + " retransmissions unanswered): it is down, or unreachable;")), lines.get(0));

                List<String> pinnedInAgent = clients.stdout().stream().filter(l -> l.contains("dev.keepaliveagent"))
                        .collect(Collectors.toList());
                assertEquals(List.of(), pinnedInAgent, "no carrier pinned in the agent's code: " + clients.stdout());
                clients.awaitSuccess(START);
            }
        }
    }

    private static boolean pause() throws InterruptedException {
        Thread.sleep(50);
        return true;
    }
}
