package dev.keepaliveagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of TCP connection the JDK makes, opened by an app with no keepalive code in a forked
 * JVM: with the agent both ends carry the configured keepalive, as {@code getOption} in the child
 * and the kernel's timers in {@code /proc/net/tcp} both show; without it, neither end does.
 */
class KeepaliveCoverageIT {

    private static final String AGENT_ARGS = "idle=600,intvl=60,cnt=20";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    static Stream<String> connectionKinds() {
        return Stream.concat(Stream.of(ConnectionScenario.CLIENT_KINDS), Stream.of(ConnectionScenario.SERVER_KINDS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("connectionKinds")
    void withTheAgentBothEndsCarryTheConfiguredKeepalive(String kind) throws Exception {
        Scenario run = Scenario.run(AGENT_ARGS, kind);
        for (SocketLine end : run.ends) {
            assertTrue(end.keepalive, () -> "getOption(SO_KEEPALIVE) in the child, " + end);
            assertEquals(600, end.idle, () -> "TCP_KEEPIDLE of " + end);
            assertEquals(60, end.intvl, () -> "TCP_KEEPINTERVAL of " + end);
            assertEquals(20, end.cnt, () -> "TCP_KEEPCOUNT of " + end);
            KernelView kernel = run.kernel(end);
            assertTrue(kernel.keepaliveTimerRunning(), () -> "kernel view of " + end + ": " + kernel);
            assertTrue(kernel.secondsToNextProbe() > 590 && kernel.secondsToNextProbe() <= 600,
                    () -> "first probe of " + end + " should be ~600 s away: " + kernel);
        }
        assertEquals(0, run.suppressedErrors, "errors the agent's hooks swallowed");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("connectionKinds")
    void withoutTheAgentNeitherEndHasKeepalive(String kind) throws Exception {
        Scenario run = Scenario.run(null, kind);
        for (SocketLine end : run.ends) {
            assertFalse(end.keepalive, () -> "control run: " + end);
            KernelView kernel = run.kernel(end);
            assertFalse(kernel.keepaliveTimerRunning(), () -> "control run, kernel view of " + end + ": " + kernel);
        }
    }

    /** A finished run of {@link ConnectionScenario}: both ends as the child saw them and the kernel saw them. */
    static final class Scenario {
        final List<SocketLine> ends;
        final List<KernelView> kernelViews;
        final long suppressedErrors;
        final List<String> stderr;

        private Scenario(List<SocketLine> ends, List<KernelView> kernelViews, long suppressedErrors, List<String> stderr) {
            this.ends = ends;
            this.kernelViews = kernelViews;
            this.suppressedErrors = suppressedErrors;
            this.stderr = stderr;
        }

        static Scenario run(String agentArgs, String kind) throws Exception {
            try (ForkedJvm child = ForkedJvm.start(agentArgs, ConnectionScenario.class.getName(), kind)) {
                SocketLine tested = SocketLine.parse(child.awaitLine("SOCKET tested", TIMEOUT));
                SocketLine peer = SocketLine.parse(child.awaitLine("SOCKET peer", TIMEOUT));
                child.awaitLine("READY", TIMEOUT);
                // Read while the child still holds both ends open.
                KernelView testedView = KernelView.of(tested.localPort, tested.remotePort)
                        .orElseThrow(() -> new AssertionError("no established connection " + tested + " in /proc/net/tcp*"));
                KernelView peerView = KernelView.of(peer.localPort, peer.remotePort)
                        .orElseThrow(() -> new AssertionError("no established connection " + peer + " in /proc/net/tcp*"));
                child.release();
                long suppressed = Long.parseLong(child.awaitLine("SUPPRESSED", TIMEOUT).split(" ")[1]);
                child.awaitSuccess(TIMEOUT);
                return new Scenario(List.of(tested, peer), List.of(testedView, peerView), suppressed, child.stderr());
            }
        }

        KernelView kernel(SocketLine end) {
            return kernelViews.get(ends.indexOf(end));
        }
    }
}
