package dev.keepaliveagent.it;

import static dev.keepaliveagent.it.DeadPeerChecks.FAST;
import static dev.keepaliveagent.it.DeadPeerChecks.PORT;
import static dev.keepaliveagent.it.DeadPeerChecks.START;
import static dev.keepaliveagent.it.DeadPeerChecks.address;
import static dev.keepaliveagent.it.DeadPeerChecks.awaitTimedOut;
import static dev.keepaliveagent.it.DeadPeerChecks.messageOf;
import static dev.keepaliveagent.it.DeadPeerChecks.onlyDeadPeerLine;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A dead client made, not mocked: the link is cut while an unchanged server is blocked reading from the
 * connection it accepted; in English, Chinese and German.
 */
class DeadClientIT {

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
                String failed = awaitTimedOut(server, locale);

                String line = onlyDeadPeerLine(server);
                assertTrue(line.startsWith("[keepalive-agent] WARN: dead peer " + clientLocal
                        + " (local " + NetworkLab.SERVER_IP + ":" + PORT + ", accept): no answer from the peer"), line);
                assertTrue(line.endsWith("; the kernel said: " + messageOf(failed)), line);
            }
        }
    }
}
