package dev.keepaliveagent.it;

import static dev.keepaliveagent.it.DeadPeerChecks.FAST;
import static dev.keepaliveagent.it.DeadPeerChecks.PORT;
import static dev.keepaliveagent.it.DeadPeerChecks.START;
import static dev.keepaliveagent.it.DeadPeerChecks.address;
import static dev.keepaliveagent.it.DeadPeerChecks.awaitTimedOut;
import static dev.keepaliveagent.it.DeadPeerChecks.messageOf;
import static dev.keepaliveagent.it.DeadPeerChecks.onlyDeadPeerLine;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A dead server made, not mocked: a real link between two network namespaces is cut while an unchanged
 * client is blocked in a read, on each API the app may read with. Also with the app's C library speaking
 * Chinese and German, whose messages the agent must not need: the line and its cause are the same in every
 * language. (The dead-peer tests are three classes so that they run side by side.)
 */
class DeadServerIT {

    @ParameterizedTest(name = "{0} in {1}")
    @CsvSource({"socket, C", "channel, C", "async, C", "socket, zh_CN.UTF-8", "channel, zh_CN.UTF-8",
        "socket, de_DE.UTF-8", "async, de_DE.UTF-8"})
    void aClientBlockedInReadIsToldWhenItsServerVanishes(String api, String locale) throws Exception {
        try (NetworkLab lab = NetworkLab.create();
             ForkedJvm server = ForkedJvm.startIn(lab.onServer(), null, List.of(), List.of(),
                     DeadPeerScenario.class.getName(), "hold-server", String.valueOf(PORT))) {
            server.awaitLine("LISTENING", START);
            try (ForkedJvm withAgent = client(lab, FAST, api, locale);
                 ForkedJvm control = client(lab, null, api, locale)) {
                String connected = withAgent.awaitLine("CONNECTED", START);
                control.awaitLine("CONNECTED", START);
                String local = address(connected, "local");

                lab.cutServerSide();
                String failed = awaitTimedOut(withAgent, locale);

                if (api.equals("socket")) {
                    withAgent.awaitLine("FAILED-AGAIN", Duration.ofSeconds(10)); // a retry: no second line
                }
                String line = onlyDeadPeerLine(withAgent);
                assertTrue(line.startsWith("[keepalive-agent] WARN: dead peer " + NetworkLab.SERVER_IP + ":" + PORT
                        + " (local " + local + ", connect): no answer from the peer"), line);
                assertTrue(line.contains("it is down, or unreachable"), line);
                assertTrue(line.contains("keepalive idle=3s intvl=1s cnt=3"), line);
                assertTrue(line.endsWith("; the kernel said: " + messageOf(failed)), line);

                Thread.sleep(1_000); // past the bound: the control client is still blocked (without keepalive, forever)
                assertFalse(control.printed("FAILED"), () -> "without the agent: " + control.stdout());
                assertFalse(control.printed("EOF"), () -> "without the agent: " + control.stdout());
                assertTrue(control.stderr().isEmpty(), () -> control.stderr().toString());
            }
        }
    }

    private static ForkedJvm client(NetworkLab lab, String agentArgs, String api, String locale) throws Exception {
        return ForkedJvm.startIn(TestLocales.environment(locale), lab.onClient(), agentArgs, List.of(), List.of(),
                DeadPeerScenario.class.getName(), "client", api, NetworkLab.SERVER_IP, String.valueOf(PORT));
    }
}
