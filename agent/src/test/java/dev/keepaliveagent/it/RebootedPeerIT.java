package dev.keepaliveagent.it;

import static dev.keepaliveagent.it.DeadPeerChecks.PORT;
import static dev.keepaliveagent.it.DeadPeerChecks.START;
import static dev.keepaliveagent.it.DeadPeerChecks.onlyDeadPeerLine;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A peer that rebooted: its kernel forgot the connection and answers the next keepalive probe with a reset. */
class RebootedPeerIT {

    @ParameterizedTest(name = "in {0}")
    @ValueSource(strings = {"C", "zh_CN.UTF-8", "de_DE.UTF-8"})
    void aPeerThatRebootedAnswersTheNextProbeWithAReset(String locale) throws Exception {
        try (NetworkLab lab = NetworkLab.create();
             ForkedJvm server = ForkedJvm.startIn(lab.onServer(), null, List.of(), List.of(),
                     DeadPeerScenario.class.getName(), "hold-server", String.valueOf(PORT))) {
            server.awaitLine("LISTENING", START);
            // Probes every second for 30 s: enough time for the peer to come back before they give up.
            try (ForkedJvm client = client(lab, "idle=2,intvl=1,cnt=30", "socket", locale)) {
                client.awaitLine("CONNECTED", START);
                lab.cutServerSide();
                Thread.sleep(3_000); // some probes go unanswered meanwhile
                assertFalse(client.printed("FAILED"));
                lab.rebootServer();  // the server's kernel has forgotten the connection, and says nothing
                String failed = client.awaitLine("FAILED", Duration.ofSeconds(10));
                assertTrue(failed.contains("Connection reset"), failed);
                String line = onlyDeadPeerLine(client);
                assertTrue(line.contains("dead peer " + NetworkLab.SERVER_IP + ":" + PORT), line);
                assertTrue(line.contains("the peer reset the connection: it restarted, or dropped the connection abruptly"),
                        line);
            }
        }
    }

    private static ForkedJvm client(NetworkLab lab, String agentArgs, String api, String locale) throws Exception {
        return ForkedJvm.startIn(TestLocales.environment(locale), lab.onClient(), agentArgs, List.of(), List.of(),
                DeadPeerScenario.class.getName(), "client", api, NetworkLab.SERVER_IP, String.valueOf(PORT));
    }
}
