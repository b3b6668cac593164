package dev.keepaliveagent.it;

import static dev.keepaliveagent.it.DeadPeerChecks.APP_REACTS;
import static dev.keepaliveagent.it.DeadPeerChecks.address;
import static dev.keepaliveagent.it.DeadPeerChecks.assertTimedOutIn;
import static dev.keepaliveagent.it.DeadPeerChecks.messageOf;
import static dev.keepaliveagent.it.DeadPeerChecks.onlyDeadPeerLine;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A dead client made, not mocked: the link is cut while an unchanged server is blocked reading from the
 * connection it accepted; in English, Chinese and German.
 */
class DeadClientIT {

    private static final int PORT = 7000;
    private static final Duration START = Duration.ofSeconds(60);
    private static final String FAST = "idle=3,intvl=1,cnt=3";
    private static final Duration BOUND = Duration.ofSeconds(3 + 1 * 3);

    @ParameterizedTest(name = "in {0}")
    @ValueSource(strings = {"C", "zh_CN.UTF-8", "de_DE.UTF-8"})
    void aServerBlockedInReadIsToldWhenItsClientVanishes(String locale) throws Exception {
        try (NetworkLab lab = NetworkLab.create();
             ForkedJvm server = ForkedJvm.startIn(TestLocales.environment(locale), lab.onServer(), FAST, List.of(), List.of(),
                     DeadPeerScenario.class.getName(), "server", String.valueOf(PORT))) {
            server.awaitLine("LISTENING", START);
            try (ForkedJvm client = ForkedJvm.startIn(lab.onClient(), null, List.of(), List.of(),
                    DeadPeerScenario.class.getName(), "hold-client", NetworkLab.SERVER_IP, String.valueOf(PORT))) {
                String clientLocal = address(client.awaitLine("CONNECTED", START), "local");
                server.awaitLine("CONNECTED", START);

                lab.cutClientSide();
                long cut = System.nanoTime();
                String failed = server.awaitLine("FAILED", BOUND.plus(APP_REACTS));
                Duration detected = Duration.ofNanos(System.nanoTime() - cut);
                assertTimedOutIn(locale, failed);
                assertTrue(detected.compareTo(BOUND.plus(APP_REACTS)) <= 0, () -> "detected after " + detected);

                String line = onlyDeadPeerLine(server);
                assertTrue(line.startsWith("[keepalive-agent] WARN: dead peer " + clientLocal
                        + " (local " + NetworkLab.SERVER_IP + ":" + PORT + ", accept): no answer from the peer"), line);
                assertTrue(line.endsWith("; the kernel said: " + messageOf(failed)), line);
            }
        }
    }
}
