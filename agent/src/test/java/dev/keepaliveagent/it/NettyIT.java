package dev.keepaliveagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Netty's native transports make their sockets in C, where the JDK never sees them: apps on Netty
 * 4.2 (epoll, io_uring) and 4.1 (epoll), with no keepalive code, in forked JVMs. With the agent
 * both ends carry the configured keepalive, as Netty's own options and the kernel's timers show;
 * without it neither does; a dead peer on an epoll or io_uring channel gets the agent's line.
 */
class NettyIT {

    private static final String AGENT_ARGS = "idle=600,intvl=60,cnt=20";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @ParameterizedTest(name = "Netty {0} {1}")
    @CsvSource({"4.2, epoll", "4.2, io_uring", "4.1, epoll"})
    void withTheAgentBothEndsCarryTheConfiguredKeepalive(String version, String transport) throws Exception {
        assumeNettyRunsHere(transport);
        try (ForkedJvm child = ForkedJvm.start(AGENT_ARGS, List.of(), TestJvm.nettyJars(version),
                NettyScenario.class.getName(), transport, "loopback")) {
            List<SocketLine> ends = ends(child);
            for (SocketLine end : ends) {
                assertTrue(end.keepalive, () -> "Netty's SO_KEEPALIVE in the child, " + end + "; stderr: " + child.stderr());
                assertEquals(600, end.idle, () -> "TCP_KEEPIDLE of " + end);
                assertEquals(60, end.intvl, () -> "TCP_KEEPINTVL of " + end);
                assertEquals(20, end.cnt, () -> "TCP_KEEPCNT of " + end);
                KernelView kernel = kernel(end);
                assertTrue(kernel.keepaliveTimerRunning(), () -> "kernel view of " + end + ": " + kernel);
                assertTrue(kernel.secondsToNextProbe() > 590 && kernel.secondsToNextProbe() <= 600,
                        () -> "first probe of " + end + " should be ~600 s away: " + kernel);
            }
            child.release();
            assertEquals("SUPPRESSED 0", child.awaitLine("SUPPRESSED", TIMEOUT));
            child.awaitSuccess(TIMEOUT);
            // (JDK 24+ itself warns, in its own words, about Netty's native library: not the agent's business.)
            assertFalse(child.stderr().stream().anyMatch(line -> line.startsWith("[keepalive-agent] WARN")),
                    () -> child.stderr().toString());
            assertTrue(child.stderr().get(0).endsWith("; Netty native transports: watched for (epoll, io_uring; none loaded yet)"),
                    () -> child.stderr().get(0));
            String inUse = "[keepalive-agent] INFO: Netty's native " + transport + " transport (io.netty.channel."
                    + (transport.equals("epoll") ? "epoll" : "uring") + ") is in use: its connections get keepalive"
                    + " through Netty's channel options (the first, read back from the kernel, has it)";
            assertEquals(1, child.stderr().stream().filter(inUse::equals).count(), () -> child.stderr().toString());
        }
    }

    @ParameterizedTest(name = "Netty {0} {1}")
    @CsvSource({"4.2, epoll", "4.2, io_uring", "4.1, epoll"})
    void withoutTheAgentNeitherEndHasKeepalive(String version, String transport) throws Exception {
        assumeNettyRunsHere(transport);
        try (ForkedJvm child = ForkedJvm.start(null, List.of(), TestJvm.nettyJars(version),
                NettyScenario.class.getName(), transport, "loopback")) {
            for (SocketLine end : ends(child)) {
                assertFalse(end.keepalive, () -> "control run: " + end);
                KernelView kernel = kernel(end);
                assertFalse(kernel.keepaliveTimerRunning(), () -> "control run, kernel view of " + end + ": " + kernel);
            }
            child.release();
            child.awaitSuccess(TIMEOUT);
        }
    }

    @ParameterizedTest(name = "the app's own idle={0}")
    @CsvSource({"30, 30", "7200, 600"})
    void keepaliveTheAppSetThroughNettyStandsWhereStricter(int appIdle, int expectedIdle) throws Exception {
        try (ForkedJvm child = ForkedJvm.start(AGENT_ARGS, List.of(), TestJvm.nettyJars("4.2"),
                NettyScenario.class.getName(), "epoll", "loopback", String.valueOf(appIdle))) {
            // The app turned keepalive on: what its socket had then, the kernel's defaults included, is its choice.
            int intvl = (int) Math.min(KernelView.sysctl("tcp_keepalive_intvl"), 60);
            int cnt = (int) Math.min(KernelView.sysctl("tcp_keepalive_probes"), 20);
            for (SocketLine end : ends(child)) {
                assertTrue(end.keepalive, end::toString);
                assertEquals(expectedIdle, end.idle, () -> "TCP_KEEPIDLE of " + end + " (agent idle=600)");
                assertEquals(intvl, end.intvl, () -> "TCP_KEEPINTVL of " + end);
                assertEquals(cnt, end.cnt, () -> "TCP_KEEPCNT of " + end);
                assertTrue(Math.abs(kernel(end).secondsToNextProbe() - expectedIdle) <= 10, () -> "kernel view of " + end);
            }
            child.release();
            child.awaitSuccess(TIMEOUT);
        }
    }

    /** As on a JDK socket: the app's later calls, through setOption or the config's own setters, may not loosen it. */
    @ParameterizedTest(name = "Netty {0} {1}")
    @CsvSource({"4.2, epoll", "4.2, io_uring", "4.1, epoll"})
    void anAppCannotSwitchKeepaliveOffOrMakeItLaxerLater(String version, String transport) throws Exception {
        assumeNettyRunsHere(transport);
        try (ForkedJvm child = ForkedJvm.start(AGENT_ARGS, List.of(), TestJvm.nettyJars(version),
                NettyScenario.class.getName(), transport, "loopback", "loosens")) {
            for (SocketLine end : ends(child)) {
                assertTrue(end.keepalive, () -> end + "; stderr: " + child.stderr());
                assertEquals(600, end.idle, () -> "TCP_KEEPIDLE of " + end);
                assertEquals(60, end.intvl, () -> "TCP_KEEPINTVL of " + end);
                assertEquals(20, end.cnt, () -> "TCP_KEEPCNT of " + end);
                KernelView kernel = kernel(end);
                assertTrue(kernel.keepaliveTimerRunning() && kernel.secondsToNextProbe() <= 600, () -> end + ": " + kernel);
            }
            child.release();
            assertEquals("SUPPRESSED 0", child.awaitLine("SUPPRESSED", TIMEOUT));
            child.awaitSuccess(TIMEOUT);
            for (String override : List.of("SO_KEEPALIVE=false", "TCP_KEEPIDLE=7200")) {
                assertEquals(1, child.stderr().stream()
                        .filter(line -> line.startsWith("[keepalive-agent] INFO: an app set " + override + " on the connection with"))
                        .count(), () -> "the override is logged once: " + child.stderr());
            }
        }
    }

    @org.junit.jupiter.api.Test
    void withoutTheAgentTheAppsLaterCallsTakeEffect() throws Exception {
        try (ForkedJvm child = ForkedJvm.start(null, List.of(), TestJvm.nettyJars("4.2"),
                NettyScenario.class.getName(), "epoll", "loopback", "loosens")) {
            for (SocketLine end : ends(child)) {
                assertFalse(end.keepalive, () -> "control run: " + end);
                assertEquals(7200, end.idle, () -> "control run: " + end);
            }
            child.release();
            child.awaitSuccess(TIMEOUT);
        }
    }

    /** epoll in Chinese and German too: the cause comes from the kernel's view, read through Netty's EpollTcpInfo. */
    @ParameterizedTest(name = "{0} in {1}")
    @CsvSource({"epoll, C", "io_uring, C", "epoll, zh_CN.UTF-8", "epoll, de_DE.UTF-8"})
    void aDeadPeerOfANativeChannelIsReported(String transport, String locale) throws Exception {
        assumeNettyRunsHere(transport);
        int port = 7000;
        try (NetworkLab lab = NetworkLab.create();
             ForkedJvm server = ForkedJvm.startIn(lab.onServer(), null, List.of(), List.of(),
                     DeadPeerScenario.class.getName(), "hold-server", String.valueOf(port));
             ForkedJvm client = startClient(lab, port, transport, locale)) {
            server.awaitLine("LISTENING", TIMEOUT);
            String connected = client.awaitLine("CONNECTED", TIMEOUT);
            String local = connected.split(" ")[1].substring("local=".length());

            lab.cutServerSide();
            String failed = client.awaitLine("FAILED", Duration.ofSeconds(3 + 3 + 5));
            DeadPeerChecks.assertTimedOutIn(locale, failed);
            List<String> lines = deadPeerLines(client);
            assertEquals(1, lines.size(), () -> "exactly one dead-peer line: " + client.stderr());
            String line = lines.get(0);
            assertTrue(line.startsWith("[keepalive-agent] WARN: dead peer " + NetworkLab.SERVER_IP + ":" + port
                    + " (local " + local + ", netty " + transport + " connect): no answer from the peer"), line);
            assertTrue(line.contains("keepalive idle=3s intvl=1s cnt=3"), line);
            assertTrue(line.endsWith("; the kernel said: " + DeadPeerChecks.messageOf(failed)), line);
        }
    }

    /** Netty's io_uring transport is Java 9 class files: on JDK 8 Netty itself cannot load it. */
    private static void assumeNettyRunsHere(String transport) {
        int jdk = TestJvm.feature();
        if (transport.equals("io_uring") && jdk < 9) {
            Assumptions.abort("not on JDK " + jdk + ": Netty's io_uring transport needs Java 9 or later");
        }
    }

    private static ForkedJvm startClient(NetworkLab lab, int port, String transport, String locale) throws Exception {
        return ForkedJvm.startIn(TestLocales.environment(locale), lab.onClient(), "idle=3,intvl=1,cnt=3", List.of(),
                TestJvm.nettyJars("4.2"),
                NettyScenario.class.getName(), transport, "client", NetworkLab.SERVER_IP, String.valueOf(port));
    }

    private static List<SocketLine> ends(ForkedJvm child) throws InterruptedException {
        SocketLine tested = SocketLine.parse(child.awaitLine("SOCKET tested", TIMEOUT));
        SocketLine peer = SocketLine.parse(child.awaitLine("SOCKET peer", TIMEOUT));
        child.awaitLine("READY", TIMEOUT);
        return List.of(tested, peer);
    }

    private static KernelView kernel(SocketLine end) throws java.io.IOException {
        return KernelView.of(end.localPort, end.remotePort)
                .orElseThrow(() -> new AssertionError("no established connection " + end + " in /proc/net/tcp*"));
    }

    private static List<String> deadPeerLines(ForkedJvm jvm) throws InterruptedException {
        for (int i = 0; i < 50 && jvm.stderr().stream().noneMatch(l -> l.contains("dead peer")); i++) {
            Thread.sleep(100);
        }
        Thread.sleep(500); // a second line, if any, would come now
        return jvm.stderr().stream().filter(l -> l.contains("dead peer")).collect(Collectors.toList());
    }
}
