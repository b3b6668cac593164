package dev.keepaliveagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Dead peers made, not mocked: a real link between two network namespaces is cut while an
 * unchanged app is blocked in a read. Also with the app's C library speaking Chinese and German,
 * whose messages the agent must not need: the line and its cause are the same in every language.
 */
class DeadPeerIT {

    private static final int PORT = 7000;
    private static final String FAST = "idle=3,intvl=1,cnt=3";
    private static final Duration BOUND = Duration.ofSeconds(3 + 1 * 3);
    private static final Duration START = Duration.ofSeconds(60);
    /**
     * From the kernel's give-up to the app's line in the test: the kernel's keepalive timer fires on time,
     * but the JVM it wakes runs on a machine busy with other test classes beside this one.
     */
    static final Duration APP_REACTS = Duration.ofSeconds(3);

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
                long cut = System.nanoTime();
                String failed = withAgent.awaitLine("FAILED", BOUND.plus(APP_REACTS));
                Duration detected = Duration.ofNanos(System.nanoTime() - cut);
                assertTimedOutIn(locale, failed);
                assertTrue(detected.compareTo(BOUND.plus(APP_REACTS)) <= 0, () -> "detected after " + detected);

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

    /** The app's own exception: ETIMEDOUT, in English or, where the C library speaks another language, not. */
    static void assertTimedOutIn(String locale, String failed) {
        if (TestLocales.translated(locale)) {
            assertFalse(failed.contains("Connection timed out"), () -> "the C library speaks " + locale + ": " + failed);
        } else {
            assertTrue(failed.contains("Connection timed out"), failed);
        }
    }

    /** The message of the exception in "FAILED java.net.SocketException: 连接超时". */
    static String messageOf(String failed) {
        return failed.substring(failed.indexOf(": ") + 2);
    }

    /** Waits briefly for the agent's line (it is written as the app's read fails) and checks there is one. */
    static String onlyDeadPeerLine(ForkedJvm jvm) throws InterruptedException {
        List<String> lines = List.of();
        for (int i = 0; i < 50 && lines.isEmpty(); i++) {
            Thread.sleep(100);
            lines = jvm.stderr().stream().filter(l -> l.contains("dead peer")).collect(Collectors.toList());
        }
        Thread.sleep(500); // a second line, if any, would come now
        List<String> all = jvm.stderr().stream().filter(l -> l.contains("dead peer")).collect(Collectors.toList());
        assertEquals(1, all.size(), () -> "exactly one dead-peer line: " + jvm.stderr());
        return all.get(0);
    }

    /** "10.233.0.2:40312" from "CONNECTED local=/10.233.0.2:40312 remote=/10.233.0.1:7000". */
    private static String address(String connectedLine, String which) {
        Matcher matcher = Pattern.compile(which + "=[^/ ]*/([0-9.]+:[0-9]+)").matcher(connectedLine);
        assertTrue(matcher.find(), connectedLine);
        return matcher.group(1);
    }
}
