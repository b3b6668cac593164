package dev.keepaliveagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The classic incident: an app started without the agent is blocked in read() on a connection whose
 * server has vanished. Attaching the agent rescues it: the kernel starts probing at once, the read
 * fails within seconds, and the agent logs the dead peer although the blocked thread runs code the
 * agent never wove.
 */
class RescueIT {

    private static final int PORT = 7000;
    private static final Duration START = Duration.ofSeconds(60);

    @Test
    void attachingRescuesAConnectionAThreadIsAlreadyStuckIn() throws Exception {
        try (NetworkLab lab = NetworkLab.create();
             ForkedJvm server = ForkedJvm.startIn(lab.onServer(), null, List.of(), List.of(),
                     DeadPeerScenario.class.getName(), "hold-server", String.valueOf(PORT))) {
            server.awaitLine("LISTENING", START);
            try (ForkedJvm app = ForkedJvm.startIn(lab.onClient(), null, List.of(), List.of(), DeadPeerScenario.class.getName(),
                    "client", "socket", NetworkLab.SERVER_IP, String.valueOf(PORT))) {
                String connected = app.awaitLine("CONNECTED", START);
                int localPort = Integer.parseInt(connected.replaceAll(".* local=[^ ]*:([0-9]+) .*", "$1"));
                lab.cutServerSide();
                Thread.sleep(1_000); // stuck: without the agent nothing would ever happen
                KernelView before = KernelView.ofProcess(app.pid(), localPort, PORT)
                        .orElseThrow(() -> new AssertionError("the app's connection is not established in its namespace"));
                assertFalse(before.keepaliveTimerRunning(), "no keepalive before the attach: " + before);

                long attachStarted = System.nanoTime();
                Command.Running attach = Command.start(List.of(TestJvm.java().toString(), "-jar",
                        TestJvm.agentJar().toString(), "attach", String.valueOf(app.pid()), "idle=2,intvl=1,cnt=3"));
                // The kernel's own view, sampled until the stuck read fails: a keepalive timer on the
                // connection (the rescue's doing), then no established connection at all.
                KernelView seen = null;
                long deadline = attachStarted + Duration.ofSeconds(70).toNanos();
                while (!app.printed("FAILED") && System.nanoTime() < deadline) {
                    KernelView now = KernelView.ofProcess(app.pid(), localPort, PORT).orElse(null);
                    if (seen == null && now != null && now.keepaliveTimerRunning()) {
                        seen = now;
                    }
                    Thread.sleep(10);
                }
                String failed = app.awaitLine("FAILED", Duration.ofSeconds(1));
                Duration told = Duration.ofNanos(System.nanoTime() - attachStarted);
                Command attached = attach.finish(Duration.ofSeconds(60));
                String out = attached.out();
                assertEquals(0, attached.exit, attached::toString);
                assertTrue(seen != null, "the kernel never ran a keepalive timer on the rescued connection");
                assertTrue(seen.secondsToNextProbe() <= 2.0, "idle=2,intvl=1 as the kernel has it: " + seen);
                assertTrue(KernelView.ofProcess(app.pid(), localPort, PORT).isEmpty(), "the kernel dropped the connection");
                assertTrue(failed.contains("Connection timed out") || failed.contains("No route to host"), failed);
                assertTrue(out.lines().anyMatch(l -> l.contains(" -> " + NetworkLab.SERVER_IP + ":" + PORT)
                        && l.contains("keepalive timer")), "the attach output lists the connection with its timer: " + out);

                app.awaitStderr("dead peer", Duration.ofSeconds(10)); // the watcher's next look
                List<String> agent = app.stderr().stream().filter(l -> l.startsWith("[keepalive-agent]")).collect(Collectors.toList());
                assertTrue(agent.stream().anyMatch(l -> l.contains("attached: 1 connection(s) already open: ")
                        && l.contains("-> " + NetworkLab.SERVER_IP + ":" + PORT + ": configured with idle=2s intvl=1s cnt=3")), agent::toString);
                List<String> dead = agent.stream().filter(l -> l.contains("dead peer")).collect(Collectors.toList());
                assertEquals(1, dead.size(), agent::toString);
                assertTrue(dead.get(0).contains("dead peer " + NetworkLab.SERVER_IP + ":" + PORT + " (local " + NetworkLab.CLIENT_IP),
                        dead.get(0));
                assertTrue(dead.get(0).contains("rescued at attach): no answer from the peer (keepalive probes or retransmissions"
                        + " unanswered)"), () -> dead.get(0) + ": the watcher saw the probes go unanswered before the death");
                assertTrue(dead.get(0).contains("after the attach (its age is unknown); keepalive idle=2s intvl=1s cnt=3"),
                        dead.get(0));
                System.out.println("rescued: the stuck read failed " + told.toMillis() + " ms after the attach began"
                        + " (the kernel's keepalive timer seen: " + seen + ")");
            }
        }
    }

    /**
     * A connect under way at the attach (unanswered: the client's kernel drops the server's replies), completed only
     * after the attach's looks are over: configured at the attach, from the peer the kernel's table
     * names (no system call on the socket names it yet), so the connection has keepalive once it is
     * established, although the thread connecting runs code from before the weave.
     */
    @Test
    void aConnectUnderWayAtTheAttachHasKeepaliveOnceItCompletes() throws Exception {
        try (NetworkLab lab = NetworkLab.create();
             ForkedJvm server = ForkedJvm.startIn(lab.onServer(), null, List.of(), List.of(),
                     DeadPeerScenario.class.getName(), "hold-server", String.valueOf(PORT))) {
            server.awaitLine("LISTENING", START);
            lab.dropOnClientFromServerPort(PORT);
            try (ForkedJvm app = ForkedJvm.startIn(lab.onClient(), null, List.of(), List.of(), DeadPeerScenario.class.getName(),
                    "client", "socket", NetworkLab.SERVER_IP, String.valueOf(PORT))) {
                long deadline = System.nanoTime() + START.toNanos();
                while (!connectUnderWay(app.pid())) {
                    assertTrue(System.nanoTime() < deadline, "the app's connect never showed as SYN_SENT");
                    Thread.sleep(20);
                }
                // utimeout well above the test's wait: TCP_USER_TIMEOUT also bounds a connect's unanswered SYNs
                String[] attach = AttachIT.attach(String.valueOf(app.pid()), "idle=2,intvl=1,cnt=3,utimeout=60s");
                assertEquals("0", attach[0], attach[2]);
                assertTrue(connectUnderWay(app.pid()), "the connect completed during the attach: the case is not tested");
                Thread.sleep(3_000); // the attach's later looks (0.1, 1 and 2 s) are over
                lab.passServer();
                String connected = app.awaitLine("CONNECTED", Duration.ofSeconds(40)); // the next SYN's or SYN-ACK's retransmission
                int localPort = Integer.parseInt(connected.replaceAll(".* local=[^ ]*:([0-9]+) .*", "$1"));
                KernelView kernel = KernelView.ofProcess(app.pid(), localPort, PORT)
                        .orElseThrow(() -> new AssertionError("the app's connection is not established in its namespace"));
                assertTrue(kernel.keepaliveTimerRunning() && kernel.secondsToNextProbe() <= 2.0,
                        "idle=2 on the connection the connect under way made: " + kernel + "; " + String.join("\n", app.stderr()));
            }
        }
    }

    /** Whether the process has a connect to the server's port under way (SYN_SENT in its namespace's table). */
    private static boolean connectUnderWay(long pid) throws java.io.IOException {
        String port = String.format(":%04X", PORT);
        for (String table : new String[] {"tcp", "tcp6"}) {
            java.nio.file.Path path = java.nio.file.Paths.get("/proc", String.valueOf(pid), "net", table);
            if (java.nio.file.Files.exists(path)) {
                for (String line : java.nio.file.Files.readAllLines(path)) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 3 && f[2].endsWith(port) && f[3].equals("02")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * A rescued connection the app closes the instant its read failed: the death is told at the close,
     * on the app's thread, so the line is whole and comes before what the app writes next.
     */
    @Test
    void aDeathFoundAtTheAppsCloseIsToldBeforeTheAppGoesOn() throws Exception {
        try (NetworkLab lab = NetworkLab.create();
             ForkedJvm server = ForkedJvm.startIn(lab.onServer(), null, List.of(), List.of(),
                     DeadPeerScenario.class.getName(), "hold-server", String.valueOf(PORT))) {
            server.awaitLine("LISTENING", START);
            try (ForkedJvm app = ForkedJvm.startIn(lab.onClient(), null, List.of(), List.of(), DeadPeerScenario.class.getName(),
                    "client", "socket-close", NetworkLab.SERVER_IP, String.valueOf(PORT))) {
                app.awaitLine("CONNECTED", START);
                String[] attach = AttachIT.attach(String.valueOf(app.pid()), "idle=2,intvl=1,cnt=2");
                assertEquals("0", attach[0], attach[2]);
                lab.cutServerSide();
                app.awaitLine("FAILED", Duration.ofSeconds(15));
                app.awaitStderr("APP: closed after", Duration.ofSeconds(1));
                List<String> stderr = app.stderr();
                int told = -1;
                int appWentOn = -1;
                for (int i = 0; i < stderr.size(); i++) {
                    if (stderr.get(i).contains("dead peer") && told < 0) {
                        told = i;
                    }
                    if (stderr.get(i).contains("APP: closed after") && appWentOn < 0) {
                        appWentOn = i;
                    }
                }
                String all = String.join("\n", stderr);
                assertTrue(told >= 0 && told < appWentOn, all);
                assertTrue(stderr.get(told).startsWith("[keepalive-agent] WARN: dead peer " + NetworkLab.SERVER_IP + ":" + PORT), all);
                assertTrue(stderr.get(appWentOn).startsWith("APP: closed after"), all);
            }
        }
    }
}
