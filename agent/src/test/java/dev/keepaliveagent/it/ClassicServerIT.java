package dev.keepaliveagent.it;

import static dev.keepaliveagent.it.DeadPeerChecks.FAST;
import static dev.keepaliveagent.it.DeadPeerChecks.START;
import static dev.keepaliveagent.it.DeadPeerChecks.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The hole of a start-up beside {@code main}: a classic server ({@link ClassicServerScenario}) whose
 * accepts began before the hooks were live, so they run the JDK's old code to their end and return
 * connections no hook sees. Its clients connect once the agent has started, one of them asks the server
 * to switch keepalive off, and the link is cut: each dead client is reported once, in English, Chinese
 * and German (three servers side by side, one link), and keepalive stayed on where the app switched it off.
 * A fourth server accepts on blocking {@code ServerSocketChannel}s, as Tomcat's and Jetty's acceptors do.
 */
class ClassicServerIT {

    /** Each server's locale; the last one serves channels. */
    private static final String[] LOCALES = {"C", "zh_CN.UTF-8", "de_DE.UTF-8", "C"};
    private static final String[] KINDS = {"server", "server", "server", "channel-server"};
    private static final String OPENED_MEANWHILE = "sockets opened while it started: ";
    private static final Duration FAILS_WITHIN = DeadPeerChecks.BOUND.plus(DeadPeerChecks.APP_REACTS);

    @Test
    void deadClientsOfAcceptsBegunBeforeTheHooksAreReportedOnceAndKeepaliveOffIsOverridden() throws Exception {
        Map<String, ForkedJvm> servers = new LinkedHashMap<>();
        try (NetworkLab lab = NetworkLab.create()) {
            try {
                List<String> peers = new ArrayList<>();
                for (int i = 0; i < LOCALES.length; i++) {
                    int port = 7001 + i;
                    // cache=off: a cold start, so that main listens and accepts well before the hooks are live
                    servers.put(KINDS[i] + " in " + LOCALES[i], ForkedJvm.startIn(TestLocales.environment(LOCALES[i]), lab.onServer(),
                            FAST + ",cache=off", List.of("-D" + ScenarioLauncher.AWAIT_START_UP + "=false"), List.of(),
                            ClassicServerScenario.class.getName(), KINDS[i], String.valueOf(port)));
                    peers.add(NetworkLab.SERVER_IP + ":" + port + ":on");
                    peers.add(NetworkLab.SERVER_IP + ":" + port + ":off");
                }
                for (ForkedJvm server : servers.values()) {
                    server.awaitLine("LISTENING", START);
                    String startUp = server.awaitStderr(OPENED_MEANWHILE, START);
                    assertTrue(Integer.parseInt(startUp.replaceAll(".*" + OPENED_MEANWHILE + "(\\d+).*", "$1")) >= 1,
                            () -> "the server listened only after the hooks were live, so nothing here was tested: " + startUp);
                }
                // After the agent's looks again (0.1 s and 1 s after its start-up): only a hook can find them now
                Thread.sleep(1500);
                List<String> clientArgs = new ArrayList<>(List.of("client"));
                clientArgs.addAll(peers);
                try (ForkedJvm clients = ForkedJvm.startIn(lab.onClient(), null, List.of(), List.of(),
                        ClassicServerScenario.class.getName(), clientArgs.toArray(new String[0]))) {
                    List<String> clientSides = new ArrayList<>();
                    for (int i = 0; i < peers.size(); i++) {
                        clientSides.add(address(clients.awaitLine("CONNECTED", START), "local"));
                    }
                    for (ForkedJvm server : servers.values()) {
                        for (int i = 0; i < 2; i++) {
                            String connected = server.awaitLine("CONNECTED", START);
                            assertTrue(connected.endsWith(" keepalive=true"), () -> connected + "\n" + server.stderr());
                        }
                    }

                    lab.cutClientSide();
                    int i = 0;
                    for (Map.Entry<String, ForkedJvm> each : servers.entrySet()) {
                        ForkedJvm server = each.getValue();
                        for (int n = 0; n < 2; n++) {
                            DeadPeerChecks.assertTimedOutIn(LOCALES[i / 2], server.awaitLine("FAILED", FAILS_WITHIN));
                        }
                        server.awaitStderr("dead peer", 2, Duration.ofSeconds(5));
                        Thread.sleep(500); // a third line, if any, would come now
                        List<String> lines = server.stderr().stream().filter(l -> l.contains("dead peer")).collect(Collectors.toList());
                        assertEquals(2, lines.size(), () -> each.getKey() + ": one line per dead client: " + server.stderr());
                        assertEquals(0, server.stderrLinesWith("more connection(s) that no hook saw"),
                                () -> "found by a look, not by a hook: " + server.stderr());
                        for (String client : clientSides.subList(i, i + 2)) {
                            String prefix = "[keepalive-agent] WARN: dead peer " + client + " (local " + NetworkLab.SERVER_IP + ":"
                                    + (7001 + i / 2) + ", accept): no answer from the peer";
                            assertTrue(lines.stream().anyMatch(l -> l.startsWith(prefix)), () -> prefix + " in " + lines);
                        }
                        i += 2;
                    }
                }
            } finally {
                for (ForkedJvm server : servers.values()) {
                    server.close();
                }
            }
        }
    }
}
