package dev.keepaliveagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The agent starts beside the app's {@code main}, not before it, so the app opens sockets before the
 * hooks are live: the hardest moments ({@link StartUpWindowApp}: the static initialiser, the first
 * statement, keepalive switched off at once, an accept under way) over many starts, warm and cold,
 * each connection checked as the app and as the kernel see it. The scenarios do not wait for the
 * agent here, unlike everywhere else.
 */
class StartUpWindowIT {

    private static final int STARTS = 8;
    private static final Duration START = Duration.ofSeconds(60);
    private static final String DO_NOT_WAIT = "-D" + ScenarioLauncher.AWAIT_START_UP + "=false";
    private static final String OPENED_MEANWHILE = "sockets opened while it started: ";
    private static final Pattern CONNECTION = Pattern.compile("(\\S+) keepalive=(\\S+) idle=(\\d+) local=(\\d+) remote=(\\d+)");

    @Test
    void everyConnectionOpenedWhileTheAgentStartsIsConfiguredAsTheKernelSeesIt() throws Exception {
        int openedMeanwhile = 0;
        for (int start = 1; start <= STARTS; start++) {
            boolean cold = start % 4 == 0;
            try (ForkedJvm app = ForkedJvm.start("idle=321" + (cold ? ",cache=off" : ""), List.of(DO_NOT_WAIT), List.of(),
                    StartUpWindowApp.class.getName())) {
                app.awaitLine("OPENED", START);
                String startUpLine = app.awaitStderr(OPENED_MEANWHILE, START);
                openedMeanwhile += Integer.parseInt(startUpLine.replaceAll(".*" + OPENED_MEANWHILE + "(\\d+).*", "$1"));
                app.send("check");
                List<String> connections = linesUntilChecked(app);
                assertEquals(8, connections.size(), connections::toString);
                for (String connection : connections) {
                    assertConfigured(app, connection, "start " + start + (cold ? " (cold)" : "") + ": " + startUpLine);
                }
                assertEquals("RESCUED 0", app.awaitLine("RESCUED", START), "no attach, so nothing rescued: " + startUpLine);
                app.release();
                app.awaitSuccess(START);
            }
        }
        assertTrue(openedMeanwhile > 0, "no start found a socket opened before its hooks were live: the window was never tested");
    }

    /**
     * An app that switches keepalive off again and again while the agent starts (before the hooks are
     * live, while they go live, and while the window looks): the hook that saw the option and the window
     * that found the socket share one entry, so the connection ends with keepalive, as the kernel shows.
     */
    @Test
    void aConnectionWhoseAppSwitchesKeepaliveOffThroughoutTheWindowEndsWithIt() throws Exception {
        for (int start = 1; start <= 3; start++) {
            try (ForkedJvm app = ForkedJvm.start("idle=321,cache=off", List.of(DO_NOT_WAIT, "-Dwindow.toggle=true"), List.of(),
                    StartUpWindowApp.class.getName())) {
                // A switch-off let pass just before the socket was configured may reach the kernel just after,
                // for the instant before the app's call returns: the read-back of the first hooked connect may
                // catch it (the window's connections are not read back).
                app.provokes("the kernel does not have what the agent set on the first connection made by connect"
                        + " (with 127.0.0.1:");
                app.awaitLine("OPENED", START);
                String startUpLine = app.awaitStderr(OPENED_MEANWHILE, START);
                Thread.sleep(300); // the toggling goes on past the window's first look
                app.send("check");
                List<String> connections = linesUntilChecked(app);
                assertEquals(10, connections.size(), connections::toString);
                for (String connection : connections) {
                    assertConfigured(app, connection, "start " + start + ": " + startUpLine);
                }
                app.release();
                app.awaitSuccess(START);
            }
        }
    }

    @Test
    void rulesApplyToWhatWasOpenedMeanwhileAndTellMadeFromAccepted() throws Exception {
        for (int start = 1; start <= 3; start++) {
            int port = TestPorts.next();
            try (ForkedJvm app = ForkedJvm.start("idle=321,rules=listen=" + port + "=>idle=111",
                    List.of(DO_NOT_WAIT, "-Dwindow.listen=" + port), List.of(), StartUpWindowApp.class.getName())) {
                app.awaitLine("OPENED", START);
                String startUpLine = app.awaitStderr(OPENED_MEANWHILE, START);
                app.send("check");
                List<String> connections = linesUntilChecked(app);
                String accepted = connections.stream().filter(line -> line.startsWith("first-statement-accepted ")).findFirst()
                        .orElseThrow();
                String made = connections.stream().filter(line -> line.startsWith("first-statement-client ")).findFirst()
                        .orElseThrow();
                assertTrue(accepted.startsWith("first-statement-accepted keepalive=true idle=111 "), () -> accepted + "; " + startUpLine);
                assertTrue(made.startsWith("first-statement-client keepalive=true idle=321 "),
                        () -> made + " (a connection made to that port is not accepted on it); " + startUpLine);
                app.release();
                app.awaitSuccess(START);
            }
        }
    }

    @Test
    void afterAnAttachTheSocketsAlreadyOpenAreConfiguredTheSameWay() throws Exception {
        int port = TestPorts.next();
        try (ForkedJvm app = ForkedJvm.start(null, List.of("-Dwindow.listen=" + port), List.of(),
                StartUpWindowApp.class.getName())) {
            app.awaitLine("OPENED", START);
            String[] attach = AttachIT.attach(String.valueOf(app.pid()), "idle=321,rules=listen=" + port + "=>idle=111");
            assertEquals("0", attach[0], attach[2]);
            app.send("check");
            List<String> connections = linesUntilChecked(app);
            assertEquals(8, connections.size(), connections::toString);
            String agentLines = String.join("\n", app.stderr());
            for (String connection : connections) {
                // Switched off before the attach (keepalive-off-*) or after it, on a connection an accept
                // begun before it returned (accept-under-way-accepted): on, either way.
                boolean acceptedOnTheRulesPort = connection.startsWith("first-statement-accepted ");
                assertConfigured(app, connection, acceptedOnTheRulesPort ? 111 : 321, agentLines);
            }
            assertTrue(app.stderr().stream().anyMatch(l -> l.startsWith("[keepalive-agent] INFO: attached: 6 connection(s) already open: ")),
                    agentLines);
            app.release();
            app.awaitSuccess(START);
        }
    }

    /**
     * A Socket, a socket channel and an asynchronous one opened before the hooks were live: the Socket's
     * read began before them too and runs unwoven code to its end, so the window's watcher reports it from
     * the kernel's view; the channels are read in hooked code once the hooks are live. Each death is
     * reported once, though the hook and the watcher both know the channels.
     */
    @Test
    void connectionsOpenedBeforeTheHooksWereLiveReportEachDeadPeerOnce() throws Exception {
        int port = 7000;
        try (NetworkLab lab = NetworkLab.create();
             ForkedJvm server = ForkedJvm.startIn(lab.onServer(), null, List.of(), List.of(),
                     DeadPeerScenario.class.getName(), "hold-server", String.valueOf(port))) {
            server.awaitLine("LISTENING", START);
            try (ForkedJvm app = ForkedJvm.startIn(lab.onClient(), "idle=3,intvl=1,cnt=3",
                    List.of(DO_NOT_WAIT, "-Dwindow.peer=" + NetworkLab.SERVER_IP + ":" + port, "-Dwindow.channels=true"),
                    List.of(), StartUpWindowApp.class.getName())) {
                app.awaitLine("OPENED", START);
                String startUpLine = app.awaitStderr(OPENED_MEANWHILE, START);
                app.send("check");
                List<String> checked = linesUntilChecked(app);
                String nioPort = portAfter(checked, "nio-peer local=");
                String asyncPort = portAfter(checked, "async-peer local=");
                Thread.sleep(200); // both reads under way

                lab.cutServerSide();
                Duration death = Duration.ofSeconds(3 + 3).plus(DeadPeerChecks.APP_REACTS);
                // The channels' reads, and the Socket's, begun before the hooks were live: in any order.
                List<String> failures = new ArrayList<>();
                while (failures.size() < 3) {
                    String failed = app.awaitLine("", death);
                    if (failed.contains("FAILED ")) {
                        assertTrue(failed.contains("Connection timed out"), failed + "; " + startUpLine);
                        failures.add(failed.substring(0, failed.indexOf("FAILED ")));
                    }
                }
                assertEquals(List.of("", "ASYNC ", "NIO "), failures.stream().sorted().collect(Collectors.toList()));
                Thread.sleep(2500); // the watcher's next looks: a second line of any of the three would come now
                List<String> deadPeers = app.stderr().stream().filter(l -> l.contains("dead peer")).collect(Collectors.toList());
                assertEquals(3, deadPeers.size(), () -> String.join("\n", app.stderr()));
                for (String line : deadPeers) {
                    assertTrue(line.startsWith("[keepalive-agent] WARN: dead peer " + NetworkLab.SERVER_IP + ":" + port
                            + " (local " + NetworkLab.CLIENT_IP + ":") && line.contains(", connect): no answer from the peer"), line);
                }
                for (String local : List.of(nioPort, asyncPort)) {
                    assertEquals(1, deadPeers.stream().filter(l -> l.contains(NetworkLab.CLIENT_IP + ":" + local + ",")
                            || l.contains(NetworkLab.CLIENT_IP + ":" + local + ")")).count(), () -> local + ": " + deadPeers);
                }
            }
        }
    }

    private static String portAfter(List<String> lines, String prefix) {
        return lines.stream().filter(line -> line.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + prefix + " in " + lines)).substring(prefix.length());
    }

    private static List<String> linesUntilChecked(ForkedJvm app) throws InterruptedException {
        List<String> lines = new ArrayList<>();
        for (String line = app.awaitLine("", START); !line.equals("CHECKED"); line = app.awaitLine("", START)) {
            lines.add(line);
        }
        return lines;
    }

    private static void assertConfigured(ForkedJvm app, String connection, String context) throws Exception {
        assertConfigured(app, connection, 321, context);
    }

    private static void assertConfigured(ForkedJvm app, String connection, int idle, String context) throws Exception {
        Matcher seen = CONNECTION.matcher(connection);
        assertTrue(seen.matches(), connection);
        assertEquals("true idle=" + idle, seen.group(2) + " idle=" + seen.group(3), () -> connection + "; " + context);
        KernelView kernel = KernelView.ofProcess(app.pid(), Integer.parseInt(seen.group(4)), Integer.parseInt(seen.group(5)))
                .orElseThrow(() -> new AssertionError("not in the kernel's table: " + connection));
        assertTrue(kernel.keepaliveTimerRunning() && kernel.secondsToNextProbe() <= idle,
                () -> connection + ": the kernel shows " + kernel + "; " + context);
    }
}
