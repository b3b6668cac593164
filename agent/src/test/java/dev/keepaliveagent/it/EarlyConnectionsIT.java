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
