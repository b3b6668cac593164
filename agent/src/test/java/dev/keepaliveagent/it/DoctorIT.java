package dev.keepaliveagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code java -jar keepalive-agent.jar …}: usage, doctor, and clear refusals. */
class DoctorIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void withoutArgumentsOrWithHelpItPrintsUsageForEveryCommand() throws Exception {
        for (List<String> args : List.of(List.<String>of(), List.of("--help"))) {
            Result result = cli(args);
            assertEquals(0, result.exit);
            assertTrue(result.out.contains("doctor [PID] [AGENT-ARGUMENTS]"), result.out);
            assertTrue(result.out.contains("idle=DURATION"), result.out);
        }
    }

    @Test
    void aWrongCommandOrArgumentExitsNonZeroWithOneClearLine() throws Exception {
        Result unknown = cli(List.of("fix-everything"));
        assertEquals(2, unknown.exit);
        assertEquals("keepalive-agent: unknown command 'fix-everything'; commands: attach, doctor, cache-warm, --version, --help"
                + " (java -jar keepalive-agent.jar --help)\n", unknown.err);
        Result badArguments = cli(List.of("doctor", "idle=0"));
        assertEquals(2, badArguments.exit);
        assertTrue(badArguments.err.startsWith("keepalive-agent: idle=0 is out of range;"), badArguments.err);
        Result noProcess = cli(List.of("doctor", "999999999"));
        assertEquals(1, noProcess.exit);
        assertTrue(noProcess.out.contains("process 999999999: no such process"), noProcess.out);
    }

    @Test
    void doctorTellsWhatTheKernelsSettingsMeanAndWhatTheArgumentsWouldMake() throws Exception {
        long time = KernelView.sysctl("tcp_keepalive_time");
        long intvl = KernelView.sysctl("tcp_keepalive_intvl");
        long probes = KernelView.sysctl("tcp_keepalive_probes");
        Result result = cli(List.of("doctor", "idle=600,intvl=60,cnt=20,utimeout=off"));
        assertEquals(0, result.exit, result.err);
        assertTrue(result.out.contains("tcp_keepalive_time=" + time + " tcp_keepalive_intvl=" + intvl
                + " tcp_keepalive_probes=" + probes), result.out);
        assertTrue(result.out.contains("an idle dead peer is found after " + time + " + " + intvl + " x " + probes + " = "
                + (time + intvl * probes) + " s"), result.out);
        long retries2 = KernelView.sysctl("tcp_retries2");
        assertTrue(result.out.contains("with data in flight, after about " + retransmissionSeconds(retries2)
                + " s of retransmissions (tcp_retries2=" + retries2 + ")"), result.out);
        assertTrue(result.out.contains("an idle dead peer is found within 1800 s (30 min 0 s)"), result.out);
    }

    @Test
    void doctorShowsAJvmsConnectionsAndWhichHaveAKeepaliveTimer() throws Exception {
        for (String agentArgs : new String[] {"idle=600", null}) {
            try (ForkedJvm child = ForkedJvm.start(agentArgs, ConnectionScenario.class.getName(), "socket-constructor")) {
                SocketLine tested = SocketLine.parse(child.awaitLine("SOCKET tested", TIMEOUT));
                child.awaitLine("READY", TIMEOUT);
                // Doctor and the kernel are both asked while the child still holds the connection.
                Result result = cli(List.of("doctor", String.valueOf(child.pid())));
                KernelView kernel = KernelView.of(tested.localPort, tested.remotePort).orElseThrow(
                        () -> new AssertionError("the connection is not established while the child holds it"));
                child.release();
                assertEquals(0, result.exit, result.err);
                String line = result.out.lines().filter(l -> l.startsWith("  127.0.0.1:" + tested.localPort + " -> "))
                        .findFirst().orElseThrow(() -> new AssertionError(result.out));
                if (agentArgs != null) {
                    assertTrue(result.out.contains("process " + child.pid() + " (runs keepalive-agent)"), result.out);
                    assertTrue(result.out.contains(" in process " + child.pid() + ", its settings in force: idle=600s (args)"
                            + " intvl=30s (default) cnt=4 (default) utimeout=720s (default) -> a dead idle peer is found within"
                            + " 720s, with data in flight within 720s\n"), result.out);
                    assertFalse(result.out.contains("idle=120s"), () -> "doctor's own defaults are not that JVM's: " + result.out);
                    assertTrue(result.out.contains(
                            " connection(s) configured, 0 dead peer(s) reported, 0 suppressed error(s)\n"
                            + "  the first connection of each kind read back from the kernel: as set\n"
                            + "  hooked JDK methods: Net.connect, Net.setSocketOption, "), result.out);
                    assertTrue(line.matches(".* keepalive timer: next probe in 5[89][0-9]\\.[0-9]+ s"), line);
                    // The app made it with InetAddress.getLoopbackAddress(), whose name is localhost: the agent there says so.
                    assertTrue(line.contains(" -> localhost/127.0.0.1:" + tested.remotePort + "  "), line);
                    assertTrue(kernel.keepaliveTimerRunning(), kernel::toString);
                    double doctorSays = Double.parseDouble(line.replaceAll(".* next probe in ([0-9.]+) s", "$1"));
                    assertEquals(kernel.secondsToNextProbe(), doctorSays, 5.0, "doctor and /proc/net/tcp, read moments apart");
                } else {
                    assertTrue(line.endsWith("no keepalive timer: a dead peer would go unnoticed while the connection is idle"), line);
                    assertTrue(line.contains(" -> 127.0.0.1:" + tested.remotePort + "  "), "no agent there, no name: " + line);
                    assertTrue(result.out.contains("process " + child.pid() + " does not run keepalive-agent (its command line"
                            + " and JAVA_TOOL_OPTIONS do not name it, and it was not attached): its connections have what the app"
                            + " set; to give them keepalive without a restart: java -jar keepalive-agent.jar attach " + child.pid()
                            + " [AGENT-ARGUMENTS]"), result.out);
                    assertFalse(kernel.keepaliveTimerRunning(), kernel::toString);
                }
            }
        }
    }

    /** In a container java is seldom PID 1: doctor without a PID lists the JVMs to ask about. */
    @Test
    void doctorWithoutAPidListsTheJvmsHereWithWhatEachRuns() throws Exception {
        try (ForkedJvm child = ForkedJvm.start("idle=600", ConnectionScenario.class.getName(), "socket-constructor")) {
            child.awaitLine("READY", TIMEOUT);
            Result result = cli(List.of("doctor"));
            child.release();
            assertEquals(0, result.exit, result.err);
            assertTrue(result.out.contains("JVMs here that you may look into (java -jar keepalive-agent.jar doctor PID):\n"),
                    result.out);
            assertTrue(result.out.contains("\n  " + child.pid() + " " + ScenarioLauncher.class.getName() + "\n"), result.out);
        }
    }

    /** In a Kubernetes pod the agent comes in JAVA_TOOL_OPTIONS: the command line does not name it. */
    @Test
    void doctorFindsTheAgentInJavaToolOptionsAndShowsThatJvmsOwnSettings() throws Exception {
        Map<String, String> environment = Map.of("JAVA_TOOL_OPTIONS", "-javaagent:" + TestJvm.agentJar() + "=idle=30",
                "KEEPALIVE_CNT", "3");
        try (ForkedJvm child = ForkedJvm.startIn(environment, List.of(), null, List.of(ScenarioLauncher.AWAIT), List.of(),
                ConnectionScenario.class.getName(), "socket-constructor")) {
            SocketLine tested = SocketLine.parse(child.awaitLine("SOCKET tested", TIMEOUT));
            child.awaitLine("READY", TIMEOUT);
            assertEquals(30, tested.idle, tested::toString);
            Result result = cli(List.of("doctor", String.valueOf(child.pid())));
            child.release();
            assertEquals(0, result.exit, result.err);
            assertTrue(result.out.contains("process " + child.pid() + " (runs keepalive-agent)"), result.out);
            assertTrue(result.out.contains(" in process " + child.pid() + ", its settings in force: idle=30s (args) intvl=30s"
                    + " (default) cnt=3 (KEEPALIVE_CNT) utimeout=120s (default) -> a dead idle peer is found within 120s"), result.out);
        }
    }

    /** A JVM in a container: doctor outside its network namespace still reads what the agent published (no JMX). */
    @Test
    void doctorOutsideTheJvmsNetworkNamespaceReadsItsSettingsAndCounts() throws Exception {
        try (NetworkLab lab = NetworkLab.create();
             ForkedJvm child = ForkedJvm.startIn(lab.onClient(), "idle=600", List.of(), List.of(),
                     ConnectionScenario.class.getName(), "socket-constructor")) {
            SocketLine tested = SocketLine.parse(child.awaitLine("SOCKET tested", TIMEOUT));
            child.awaitLine("READY", TIMEOUT);
            Result result = cli(List.of("doctor", String.valueOf(child.pid())));
            child.release();
            assertEquals(0, result.exit, result.err);
            assertTrue(result.out.contains("keepalive-agent " + TestJvm.VERSION + " in process " + child.pid() + ", its settings in force:"
                    + " idle=600s (args) "), result.out);
            assertTrue(result.out.matches("(?s).*\n  [1-9][0-9]* connection\\(s\\) configured, 0 dead peer\\(s\\) reported.*"),
                    result.out);
            assertTrue(result.out.contains("  127.0.0.1:" + tested.localPort + " -> "), result.out);
        }
    }

    /**
     * doctor reads the agent's published text through the attach API: it starts no JMX connector in the
     * JVM (no new listening socket of that process), and its own asking is no connection the agent counts.
     */
    @Test
    void doctorLeavesNoListenerBehindAndIsNotCountedItself() throws Exception {
        try (ForkedJvm child = ForkedJvm.start("idle=600", ConnectionScenario.class.getName(), "socket-constructor")) {
            child.awaitLine("READY", TIMEOUT);
            List<String> listeningBefore = listening(child.pid());
            Result first = cli(List.of("doctor", String.valueOf(child.pid())));
            Result second = cli(List.of("doctor", String.valueOf(child.pid())));
            List<String> listeningAfter = listening(child.pid());
            child.release();
            assertEquals(0, first.exit, first.err);
            List<String> opened = new ArrayList<>(listeningAfter);
            opened.removeAll(listeningBefore); // the app may close one of its own meanwhile; it opens none
            assertEquals(List.of(), opened, () -> "listening after two doctors, not before: " + listeningAfter + " / " + listeningBefore);
            String counts = first.out.lines().filter(l -> l.contains(" connection(s) configured")).findFirst()
                    .orElseThrow(() -> new AssertionError(first.out));
            assertTrue(counts.matches("  [1-9][0-9]* connection\\(s\\) configured, .*"), counts);
            assertTrue(second.out.contains(counts + "\n"), () -> "a second doctor counts what the first did: " + counts
                    + "\n" + second.out);
        }
    }

    /** The TCP sockets {@code pid} listens on, as the kernel lists them. */
    private static List<String> listening(long pid) throws Exception {
        Command ss = Command.run("ss", "-Htlnp");
        assertEquals(0, ss.exit, ss::toString);
        List<String> mine = new ArrayList<>();
        for (String line : ss.stdout) {
            if (line.contains("pid=" + pid + ",")) {
                mine.add(line.trim().split("\\s+")[3]);
            }
        }
        java.util.Collections.sort(mine);
        return mine;
    }

    @Test
    void doctorSaysWhenNettysNativeTransportIsLoadedAndCovered() throws Exception {
        try (ForkedJvm child = ForkedJvm.start("idle=600", List.of(), TestJvm.nettyJars("4.2"),
                NettyScenario.class.getName(), "epoll", "loopback")) {
            SocketLine tested = SocketLine.parse(child.awaitLine("SOCKET tested", TIMEOUT));
            child.awaitLine("READY", TIMEOUT);
            Result result = cli(List.of("doctor", String.valueOf(child.pid())));
            child.release();
            assertEquals(0, result.exit, result.err);
            assertTrue(result.out.contains("  Netty's native epoll transport is loaded: its sockets are made in C,"
                    + " out of the JDK's sight; keepalive-agent configures them through Netty"), result.out);
            String line = result.out.lines().filter(l -> l.startsWith("  127.0.0.1:" + tested.localPort + " -> "))
                    .findFirst().orElseThrow(() -> new AssertionError(result.out));
            assertTrue(line.matches(".* keepalive timer: next probe in 5[89][0-9]\\.[0-9]+ s"), line);
        }
    }


    /**
     * How long Linux retransmits before giving up, in whole seconds: the retransmission timeout
     * starts at 200 ms (TCP_RTO_MIN) and doubles up to 120 s (TCP_RTO_MAX), tcp_retries2 times, then
     * one last wait (Documentation/networking/ip-sysctl.rst: 15 gives 924.6 s).
     */
    private static long retransmissionSeconds(long retries2) {
        double total = 0;
        for (int i = 0; i <= retries2; i++) {
            total += Math.min(0.2 * Math.pow(2, i), 120);
        }
        return Math.round(total);
    }

    /** Doctor told a Python server from a JVM once, and advised to attach to it: a process without libjvm.so is named as such. */
    @Test
    void aProcessThatIsNotAJvmIsSaidToBeOneWithItsConnections() throws Exception {
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Command.Running bash = Command.start(List.of("bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + server.getLocalPort()
                    + " && echo CONNECTED && exec sleep 60"));
            try (java.net.Socket accepted = server.accept()) {
                Result result = cli(List.of("doctor", String.valueOf(bash.pid())));
                assertEquals(0, result.exit, result.err);
                assertTrue(result.out.contains("process " + bash.pid() + " is not a JVM (no libjvm.so among its mappings):"
                        + " keepalive-agent cannot be loaded into it; its connections have what the program set\n"
                        + "process " + bash.pid() + ": TCP connections as its kernel sees them\n"
                        + "  127.0.0.1:"), result.out);
                assertTrue(result.out.contains(" -> 127.0.0.1:" + server.getLocalPort() + "  no keepalive timer"), result.out);
                assertFalse(result.out.contains("attach"), result.out);
            } finally {
                Command.kill(bash.handle());
                bash.finish(Duration.ofSeconds(10));
            }
        }
    }

    /** A server that leaks connections holds them in CLOSE-WAIT: doctor lists them, in words, not ESTABLISHED alone. */
    @Test
    void aConnectionThePeerClosedAndTheAppDidNotIsListedAsCloseWait() throws Exception {
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             ForkedJvm child = ForkedJvm.start("idle=600", DeadPeerScenario.class.getName(), "hold-client", "127.0.0.1",
                     String.valueOf(server.getLocalPort()))) {
            child.awaitLine("CONNECTED", TIMEOUT);
            server.accept().close();
            Result result = null;
            for (int look = 0; look < 50; look++) {
                result = cli(List.of("doctor", String.valueOf(child.pid())));
                if (result.out.contains("CLOSE-WAIT")) {
                    break;
                }
                Thread.sleep(100);
            }
            child.release();
            String out = result.out;
            assertTrue(out.contains(" -> 127.0.0.1:" + server.getLocalPort() + "  CLOSE-WAIT: the peer closed it, the app has not"
                    + " (many of these: the app leaks connections); keepalive timer: next probe in "), out);
        }
    }

    /** A connection a rule leaves alone is no cause for alarm: doctor names the rule, or says it may be one by name. */
    @Test
    void aConnectionARuleLeftAloneNamesTheRule() throws Exception {
        LoopbackPairSeen byAddress = doctorOfALoopbackPair("rules=127.0.0.0/8=>off");
        assertTrue(byAddress.out.contains("  127.0.0.1:" + byAddress.tested.localPort + " -> 127.0.0.1:" + byAddress.tested.remotePort
                + "  no keepalive timer: rule '127.0.0.0/8=>off' leaves it as the app made it\n"), byAddress.out);
        assertTrue(byAddress.out.contains("  127.0.0.1:" + byAddress.tested.remotePort + " -> 127.0.0.1:" + byAddress.tested.localPort
                + "  no keepalive timer: rule '127.0.0.0/8=>off' leaves it as the app made it\n"), "the accepted end: " + byAddress.out);
        LoopbackPairSeen byName = doctorOfALoopbackPair("rules=localhost=>off");
        assertTrue(byName.out.contains("  127.0.0.1:" + byName.tested.localPort + " -> 127.0.0.1:" + byName.tested.remotePort
                + "  no keepalive timer: a dead peer would go unnoticed while the connection is idle (unless rule"
                + " 'localhost=>off' matched the name it was made with: doctor sees addresses only)\n"), byName.out);
    }

    /** What doctor printed of a JVM with some agent arguments that held a loopback pair, and that pair's tested end. */
    private static final class LoopbackPairSeen {
        final String out;
        final SocketLine tested;

        LoopbackPairSeen(String out, SocketLine tested) {
            this.out = out;
            this.tested = tested;
        }
    }

    private static LoopbackPairSeen doctorOfALoopbackPair(String agentArgs) throws Exception {
        try (ForkedJvm child = ForkedJvm.start(agentArgs, ConnectionScenario.class.getName(), "socket-constructor")) {
            SocketLine tested = SocketLine.parse(child.awaitLine("SOCKET tested", TIMEOUT));
            child.awaitLine("READY", TIMEOUT);
            Result result = cli(List.of("doctor", String.valueOf(child.pid())));
            child.release();
            return new LoopbackPairSeen(result.out, tested);
        }
    }

    /** An operator's look is no event: doctor and attach make no connection the agent in that JVM would count. */
    @Test
    void lookingWithDoctorAndAttachChangesNoCount() throws Exception {
        try (ForkedJvm child = ForkedJvm.start("idle=600", ConnectionScenario.class.getName(), "socket-constructor")) {
            child.awaitLine("READY", TIMEOUT);
            List<String> counts = new ArrayList<>();
            for (int look = 0; look < 3; look++) {
                counts.add(configuredLine(cli(List.of("doctor", String.valueOf(child.pid())))));
            }
            Result attach = cli(List.of("attach", String.valueOf(child.pid()), "idle=60"));
            assertEquals(3, attach.exit, attach::toString);
            counts.add(configuredLine(cli(List.of("doctor", String.valueOf(child.pid())))));
            child.release();
            assertEquals(java.util.Collections.nCopies(4, "  2 connection(s) configured, 0 dead peer(s) reported, 0 suppressed error(s)"),
                    counts, "the app's two ends, and nothing of the looks");
        }
    }

    private static String configuredLine(Result doctor) {
        return doctor.out.lines().filter(line -> line.contains(" connection(s) configured, ")).findFirst().orElse(doctor.out);
    }

    /** "Read back: as set" once meant nothing at all: with no connection configured yet, doctor says so. */
    @Test
    void beforeAnyConnectionDoctorSaysNothingWasReadBack() throws Exception {
        try (ForkedJvm child = ForkedJvm.start("idle=600", LateConnectionScenario.class.getName())) {
            child.awaitLine("WAITING", TIMEOUT);
            Result result = cli(List.of("doctor", String.valueOf(child.pid())));
            child.release();
            child.awaitLine("CONNECTION", TIMEOUT);
            assertTrue(result.out.contains("  0 connection(s) configured, 0 dead peer(s) reported, 0 suppressed error(s)\n"
                    + "  the first connection of each kind read back from the kernel: none yet (no connection configured)\n"),
                    result.out);
        }
    }

    private static Result cli(List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(TestJvm.java().toString(), "-jar", TestJvm.agentJar().toString()));
        command.addAll(args);
        Command run = Command.run(command);
        return new Result(run.exit, run.out(), run.err());
    }

    private static final class Result {
        final int exit;
        final String out;
        final String err;

        Result(int exit, String out, String err) {
            this.exit = exit;
            this.out = out;
            this.err = err;
        }
    }
}
