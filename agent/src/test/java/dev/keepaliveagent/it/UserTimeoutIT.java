package dev.keepaliveagent.it;

import static dev.keepaliveagent.it.DeadPeerChecks.APP_REACTS;
import static dev.keepaliveagent.it.DeadPeerChecks.PORT;
import static dev.keepaliveagent.it.DeadPeerChecks.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Data in flight: keepalive cannot help, since the connection is never idle; TCP_USER_TIMEOUT does.
 * A writer streams to a peer whose link is then cut.
 */
class UserTimeoutIT {

    @ParameterizedTest(name = "in {0}")
    @ValueSource(strings = {"C", "zh_CN.UTF-8", "de_DE.UTF-8"})
    void aWriterIsToldWithinTheUserTimeoutAndWithoutItStillWaits(String locale) throws Exception {
        try (NetworkLab lab = NetworkLab.create();
             ForkedJvm sink = ForkedJvm.startIn(lab.onServer(), null, List.of(), List.of(),
                     DeadPeerScenario.class.getName(), "sink", String.valueOf(PORT))) {
            sink.awaitLine("LISTENING", START);
            try (ForkedJvm withTimeout = writer(lab, "idle=600,utimeout=3s", locale);
                 ForkedJvm without = writer(lab, "idle=600,utimeout=off", locale)) {
                int withTimeoutPort = localPort(withTimeout.awaitLine("CONNECTED", START));
                int withoutPort = localPort(without.awaitLine("CONNECTED", START));
                withTimeout.awaitLine("WRITING", START);
                without.awaitLine("WRITING", START);

                // The kernel gives up 3 s after the first segment that goes unanswered, which is sent after the
                // silence began: never sooner. Linux clamps the retransmission timer to the user timeout (4.19
                // and later), so the give-up is on time, give or take a jiffy; what the test allows beyond it is
                // the app's wake-up and print on a machine busy with other tests.
                long beforeTheSilence = System.nanoTime();
                lab.silenceServer();
                long cut = System.nanoTime();
                String failed = withTimeout.awaitLine("FAILED", Duration.ofSeconds(3).plus(APP_REACTS));
                long toldAt = System.nanoTime();
                Duration detected = Duration.ofNanos(toldAt - cut);
                System.out.println("utimeout=3s: the writer was told " + detected.toMillis() + " ms after the cut");
                assertTrue(Duration.ofNanos(toldAt - beforeTheSilence).toMillis() >= 3_000 - 50,
                        () -> "told " + detected.toMillis() + " ms after the cut: before the user timeout was up");
                DeadPeerChecks.assertTimedOutIn(locale, failed);

                // The kernel's view: it gave up on the connection with the user timeout, and still
                // retransmits on the one without it.
                assertTrue(KernelView.ofProcess(withTimeout.pid(), withTimeoutPort, PORT).isEmpty(),
                        "the kernel dropped the connection with utimeout=3s");
                KernelView stillTrying = KernelView.ofProcess(without.pid(), withoutPort, PORT).orElseThrow(
                        () -> new AssertionError("the connection without utimeout is still established"));
                assertEquals(KernelView.RETRANSMIT_TIMER, stillTrying.timer, "retransmitting: " + stillTrying);

                String line = DeadPeerChecks.onlyDeadPeerLine(withTimeout);
                assertTrue(line.contains("dead peer " + NetworkLab.SERVER_IP + ":" + PORT), line);
                assertTrue(line.contains("no acknowledgement for 3000 ms (user timeout): the peer is down, or unreachable"),
                        line);
                assertTrue(line.endsWith("; the kernel said: " + DeadPeerChecks.messageOf(failed)), line);

                // Without utimeout the kernel retransmits for tcp_retries2 (about 15 minutes): still at it now.
                Thread.sleep(Math.max(0, Duration.ofSeconds(3).plus(APP_REACTS).toMillis() - detected.toMillis()));
                assertFalse(without.printed("FAILED"), () -> "utimeout=off, after the other's limit: " + without.stdout());
            }
        }
    }

    private static int localPort(String connected) {
        return Integer.parseInt(connected.replaceAll(".* local=[^ ]*:([0-9]+) .*", "$1"));
    }

    private static ForkedJvm writer(NetworkLab lab, String agentArgs, String locale) throws Exception {
        return ForkedJvm.startIn(TestLocales.environment(locale), lab.onClient(), agentArgs, List.of(), List.of(),
                DeadPeerScenario.class.getName(),
                "writer", NetworkLab.SERVER_IP, String.valueOf(PORT));
    }
}
