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
                app.release();
                app.awaitSuccess(START);
            }
        }
        assertTrue(openedMeanwhile > 0, "no start found a socket opened before its hooks were live: the window was never tested");
    }

    @Test
    void aConnectionOpenedBeforeTheHooksWereLiveReportsItsDeadPeer() throws Exception {
        int port = 7000;
        try (NetworkLab lab = NetworkLab.create();
             ForkedJvm server = ForkedJvm.startIn(lab.onServer(), null, List.of(), List.of(),
                     DeadPeerScenario.class.getName(), "hold-server", String.valueOf(port))) {
            server.awaitLine("LISTENING", START);
            try (ForkedJvm app = ForkedJvm.startIn(lab.onClient(), "idle=3,intvl=1,cnt=3",
                    List.of(DO_NOT_WAIT, "-Dwindow.peer=" + NetworkLab.SERVER_IP + ":" + port), List.of(),
                    StartUpWindowApp.class.getName())) {
                app.awaitLine("OPENED", START);
                app.awaitStderr(OPENED_MEANWHILE, START);
                app.send("check");
                String peer = linesUntilChecked(app).stream().filter(line -> line.startsWith("peer ")).findFirst().orElseThrow();
                assertTrue(peer.startsWith("peer keepalive=true idle=3 "), peer);

                lab.cutServerSide();
                String failed = app.awaitLine("FAILED", Duration.ofSeconds(3 + 3 + 2));
                assertTrue(failed.contains("Connection timed out"), failed);
                List<String> deadPeers = app.stderr().stream().filter(line -> line.contains("dead peer")).collect(Collectors.toList());
                assertEquals(1, deadPeers.size(), deadPeers::toString);
                assertTrue(deadPeers.get(0).startsWith("[keepalive-agent] WARN: dead peer " + NetworkLab.SERVER_IP + ":" + port
                        + " (local " + NetworkLab.CLIENT_IP + ":"), deadPeers.get(0));
                assertTrue(deadPeers.get(0).contains(", connect): no answer from the peer"), deadPeers.get(0));
            }
        }
    }

    private static List<String> linesUntilChecked(ForkedJvm app) throws InterruptedException {
        List<String> lines = new ArrayList<>();
        for (String line = app.awaitLine("", START); !line.equals("CHECKED"); line = app.awaitLine("", START)) {
            lines.add(line);
        }
        return lines;
    }

    private static void assertConfigured(ForkedJvm app, String connection, String context) throws Exception {
        Matcher seen = CONNECTION.matcher(connection);
        assertTrue(seen.matches(), connection);
        assertEquals("true idle=321", seen.group(2) + " idle=" + seen.group(3), () -> connection + "; " + context);
        KernelView kernel = KernelView.ofProcess(app.pid(), Integer.parseInt(seen.group(4)), Integer.parseInt(seen.group(5)))
                .orElseThrow(() -> new AssertionError("not in the kernel's table: " + connection));
        assertTrue(kernel.keepaliveTimerRunning() && kernel.secondsToNextProbe() <= 321,
                () -> connection + ": the kernel shows " + kernel + "; " + context);
    }
}
