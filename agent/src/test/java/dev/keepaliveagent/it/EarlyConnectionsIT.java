package dev.keepaliveagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * However many connections an app opens while the agent starts, every one gets keepalive (10,000,
 * from the first statement of {@code main}, in a cold start); and a connection the agent rescued that
 * ends in order, the peer's FIN and then the app's close, is not a dead peer.
 */
class EarlyConnectionsIT {

    private static final int PAIRS = 5_000;
    private static final Duration START = Duration.ofSeconds(120);
    private static final String DO_NOT_WAIT = "-D" + ScenarioLauncher.AWAIT_START_UP + "=false";

    @Test
    void tenThousandConnectionsOpenedAtOnceWhileTheAgentStartsAreAllConfigured() throws Exception {
        try (ForkedJvm app = ForkedJvm.start("idle=321,cache=off", List.of(DO_NOT_WAIT), List.of(),
                EarlyConnectionsScenario.class.getName(), String.valueOf(PAIRS))) {
            int pairs = Integer.parseInt(app.awaitLine("OPENED", START).substring("OPENED ".length()));
            String startUp = app.awaitStderr("sockets opened while it started: ", START);
            assumeTrue(pairs == PAIRS || !"true".equals(System.getenv("CI")),
                    () -> "the descriptor limit (ulimit -n) allows " + pairs + " pairs only, not " + PAIRS);
            app.send("check 321");
            String configured = app.awaitLine("CONFIGURED", START);
            assertEquals("CONFIGURED " + 2 * pairs, configured, startUp);
            assertTrue(!startUp.contains("sockets opened while it started: 0;"),
                    () -> "the agent was live before main opened a connection: the window was not tested. " + startUp);
        }
    }

    /**
     * 10,000 connections made from the first statement of {@code main}, to a server in another process
     * (the descriptor limit, 20,000 here, would not hold both ends), while the agent starts cold.
     */
    @Test
    void tenThousandConnectionsMadeFromTheFirstStatementToAnotherProcessAreAllConfigured() throws Exception {
        int port = TestPorts.next();
        try (ForkedJvm server = ForkedJvm.start(null, List.of(), List.of(), DeadPeerScenario.class.getName(),
                "hold-server", String.valueOf(port))) {
            server.awaitLine("LISTENING", START);
            try (ForkedJvm app = ForkedJvm.start("idle=321,cache=off", List.of(DO_NOT_WAIT), List.of(),
                    EarlyConnectionsScenario.class.getName(), "connect", "127.0.0.1", String.valueOf(port),
                    String.valueOf(2 * PAIRS))) {
                int made = Integer.parseInt(app.awaitLine("OPENED", START).substring("OPENED ".length()));
                String startUp = app.awaitStderr("sockets opened while it started: ", START);
                assumeTrue(made == 2 * PAIRS || !"true".equals(System.getenv("CI")),
                        () -> "the descriptor limit (ulimit -n) allows " + made + " connections only, not " + 2 * PAIRS);
                app.send("check 321");
                assertEquals("CONFIGURED " + made, app.awaitLine("CONFIGURED", START), startUp);
                assertTrue(!startUp.contains("sockets opened while it started: 0;"),
                        () -> "the agent was live before main made a connection: the window was not tested. " + startUp);
            }
        }
    }

    /**
     * Hundreds of connections made while the agent starts, one every 3 ms from the first statement of
     * {@code main} on, so that some are made before the hooks are live, some while they go live and the
     * window looks, some after; each then blocked in a read (on virtual threads from JDK 21); their peer's
     * link cut: exactly one dead-peer line per connection, in each of three cold runs, and some connection
     * made before the hooks were live in at least one of them (a loaded machine may start main late).
     */
    @Test
    void manyConnectionsMadeWhileTheAgentStartsEachDieOnce() throws Exception {
        int connections = 300;
        int openedMeanwhile = 0;
        for (int run = 1; run <= 3; run++) {
            try (NetworkLab lab = NetworkLab.create();
                 ForkedJvm server = ForkedJvm.startIn(lab.onServer(), null, List.of(), List.of(),
                         DeadPeerScenario.class.getName(), "hold-server", "7000")) {
                server.awaitLine("LISTENING", START);
                try (ForkedJvm app = ForkedJvm.startIn(lab.onClient(), "idle=3,intvl=1,cnt=3,cache=off",
                        List.of(DO_NOT_WAIT), List.of(), EarlyConnectionsScenario.class.getName(), "connect-and-read",
                        NetworkLab.SERVER_IP, "7000", String.valueOf(connections), "3")) {
                    app.awaitLine("OPENED", START);
                    String startUp = app.awaitStderr("sockets opened while it started: ", START);
                    openedMeanwhile += Integer.parseInt(startUp.replaceAll(".*sockets opened while it started: (\\d+).*", "$1"));
                    lab.cutServerSide();
                    java.util.Set<String> failed = new java.util.HashSet<>();
                    while (failed.size() < connections) {
                        String line = app.awaitLine("FAILED local=", Duration.ofSeconds(6).plus(DeadPeerChecks.APP_REACTS));
                        failed.add(line.split(" ")[1]);
                    }
                    Thread.sleep(2500); // the watcher's next looks: a second line for any of them would come now
                    List<String> deadPeers = app.stderr().stream().filter(l -> l.contains("dead peer"))
                            .collect(java.util.stream.Collectors.toList());
                    java.util.Set<String> locals = new java.util.HashSet<>();
                    for (String line : deadPeers) {
                        locals.add(line.replaceAll(".*\\(local [^:]+:(\\d+),.*", "$1"));
                    }
                    int thisRun = run;
                    assertEquals(connections, deadPeers.size(), () -> "run " + thisRun + ": " + startUp);
                    assertEquals(connections, locals.size(), () -> "run " + thisRun + ": one line per connection");
                }
            }
        }
        assertTrue(openedMeanwhile > 0, "in no run did main make a connection before the hooks were live: the window was not tested");
    }

    @Test
    void rescuedConnectionsThatEndInOrderAreNotDeadPeers() throws Exception {
        try (ForkedJvm app = ForkedJvm.start(null, List.of(), List.of(), EarlyConnectionsScenario.class.getName(), "100")) {
            app.awaitLine("OPENED", START);
            String[] attach = AttachIT.attach(String.valueOf(app.pid()), "idle=321");
            assertEquals("0", attach[0], attach[2]);
            app.send("check 321");
            assertEquals("CONFIGURED 200", app.awaitLine("CONFIGURED", START));
            app.send("fin-close 100");
            app.awaitLine("CLOSED 100", START);
            Thread.sleep(2500); // the watcher's next looks, where a death would be reported
            assertEquals(0, app.stderrLinesWith("dead peer"), () -> String.join("\n", app.stderr()));
        }
    }
}
