package dev.keepaliveagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings per destination in one JVM, checked in the kernel, not only in the agent's memory. */
class RulesIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void eachDestinationGetsItsOwnSettingsAndAnExcludedOneNone() throws Exception {
        int ruled = TestPorts.next();
        int excluded = TestPorts.next();
        int plain = TestPorts.next();
        String agentArgs = "idle=600,intvl=60,cnt=20,utimeout=7s,rules="
                + "port=" + ruled + "=>idle=111/intvl=11/cnt=1/utimeout=5s;"
                + "listen=" + ruled + "=>idle=222/utimeout=off;"
                + "127.0.0.2=>off";
        List<String> jvmArgs = TestJvm.openSunNioCh();
        try (ForkedJvm child = ForkedJvm.start(agentArgs, jvmArgs, List.of(), RulesScenario.class.getName(),
                "127.0.0.1:" + ruled, "127.0.0.2:" + excluded, "127.0.0.1:" + plain)) {
            Map<String, SocketLine> ends = new HashMap<>();
            Map<String, String> utimeouts = new HashMap<>();
            for (int i = 0; i < 6; i++) {
                String line = child.awaitLine("SOCKET", TIMEOUT);
                SocketLine end = SocketLine.parse(line);
                ends.put(end.role, end);
                utimeouts.put(end.role, line.replaceAll(".* utimeout=", ""));
            }
            child.awaitLine("READY", TIMEOUT);

            SocketLine client = ends.get("client@127.0.0.1:" + ruled);
            assertSettings(client, 111, 11, 1);
            assertEquals("5000", utimeouts.get(client.role), "TCP_USER_TIMEOUT as the kernel holds it");
            assertKernelTimer(client, 111);

            SocketLine accepted = ends.get("accepted@127.0.0.1:" + ruled);
            assertSettings(accepted, 222, 60, 20);
            assertEquals("0", utimeouts.get(accepted.role));
            assertKernelTimer(accepted, 222);

            SocketLine left = ends.get("client@127.0.0.2:" + excluded);
            assertFalse(left.keepalive, left::toString);
            assertEquals("0", utimeouts.get(left.role));
            assertFalse(KernelView.of(left.localPort, left.remotePort).orElseThrow().keepaliveTimerRunning());

            SocketLine global = ends.get("client@127.0.0.1:" + plain);
            assertSettings(global, 600, 60, 20);
            assertEquals("7000", utimeouts.get(global.role));
            assertKernelTimer(global, 600);
            child.release();
        }
    }

    /** The shipped loopback rule ("127.0.0.0/8 ::1 => off") once needed both addresses at once and matched nothing. */
    @Test
    void addressesInOneRuleAreAlternativesAndARuleThatCanNeverMatchStopsTheJvm() throws Exception {
        int two = TestPorts.next();
        int three = TestPorts.next();
        int plain = TestPorts.next();
        try (ForkedJvm child = ForkedJvm.start("idle=600,rules=127.0.0.2+127.0.0.3=>off", TestJvm.openSunNioCh(), List.of(),
                RulesScenario.class.getName(), "127.0.0.2:" + two, "127.0.0.3:" + three, "127.0.0.1:" + plain)) {
            Map<String, SocketLine> ends = new HashMap<>();
            for (int i = 0; i < 6; i++) {
                SocketLine end = SocketLine.parse(child.awaitLine("SOCKET", TIMEOUT));
                ends.put(end.role, end);
            }
            child.awaitLine("READY", TIMEOUT);
            for (String excluded : new String[] {"127.0.0.2:" + two, "127.0.0.3:" + three}) {
                SocketLine client = ends.get("client@" + excluded);
                assertFalse(client.keepalive, client::toString);
                assertFalse(KernelView.of(client.localPort, client.remotePort).orElseThrow().keepaliveTimerRunning(), excluded);
            }
            SocketLine global = ends.get("client@127.0.0.1:" + plain);
            assertSettings(global, 600, 30, 4);
            assertKernelTimer(global, 600);
            child.release();
        }
        try (ForkedJvm refused = ForkedJvm.start("rules=port=5432+listen=8443=>off", List.of(), List.of(),
                RulesScenario.class.getName(), "127.0.0.1:" + plain)) {
            assertEquals(1, refused.awaitExit(TIMEOUT), "the JVM refuses to start");
            assertEquals(List.of("[keepalive-agent] ERROR: the conditions in rule 'port=5432+listen=8443=>off' can never hold"
                    + " together: port=N is the remote port of connections the app makes, listen=N the local port of those it"
                    + " accepts; write two rules (the app was not started)"), refused.stderr());
        }
    }

    /** README's trap: rules=...=>idle=5,intvl=2 makes intvl=2 global; it still does, but no longer silently. */
    @Test
    void aSettingAfterARulesSettingsIsGlobalAndTheLogSaysSo() throws Exception {
        int plain = TestPorts.next();
        try (ForkedJvm child = ForkedJvm.start("idle=600,rules=127.0.0.2=>idle=5,intvl=2", TestJvm.openSunNioCh(), List.of(),
                RulesScenario.class.getName(), "127.0.0.1:" + plain)) {
            SocketLine client = SocketLine.parse(child.awaitLine("SOCKET client", TIMEOUT));
            child.awaitLine("READY", TIMEOUT);
            assertSettings(client, 600, 2, 4);
            String warning = child.awaitStderr("follows rules=", TIMEOUT);
            assertEquals("[keepalive-agent] WARN: intvl=2 follows rules= in the agent arguments, so it is a global setting,"
                    + " not the last rule's ('127.0.0.2=>idle=5'): within a rule, settings are separated by '/'"
                    + " (127.0.0.2=>idle=5/intvl=2); give global settings before rules= and this line goes away", warning);
            child.release();
        }
    }

    @Test
    void onAnotherPlatformTheAgentSaysWhatItCannotDoAndKeepsKeepaliveOn() throws Exception {
        int jdk = TestJvm.feature();
        if (jdk < 9) {
            org.junit.jupiter.api.Assumptions.abort("not on JDK " + jdk + ": JDK 8 does not start as another platform (its file"
                    + " system provider refuses os.name=FreeBSD), so the platform check is tested on the later JDKs");
        }
        int port = TestPorts.next();
        // os.name decides the platform for the JDK's jdk.net options and for the agent alike: as
        // "FreeBSD" (a platform OpenJDK has no options class for) the JDK offers no TCP_KEEP* options, and
        // the agent must not set option 18.
        List<String> jvmArgs = new java.util.ArrayList<>(TestJvm.openSunNioCh());
        jvmArgs.add("-Dos.name=FreeBSD");
        try (ForkedJvm child = ForkedJvm.start("idle=600,utimeout=5s", jvmArgs, List.of(), RulesScenario.class.getName(),
                "127.0.0.1:" + port)) {
            SocketLine client = SocketLine.parse(child.awaitLine("SOCKET client", TIMEOUT));
            child.awaitLine("READY", TIMEOUT);
            assertTrue(client.keepalive, client::toString);
            KernelView kernel = KernelView.of(client.localPort, client.remotePort).orElseThrow();
            assertTrue(kernel.keepaliveTimerRunning(), kernel::toString);
            child.release();
            child.awaitSuccess(TIMEOUT);
            List<String> stderr = child.stderr();
            assertTrue(stderr.contains("[keepalive-agent] WARN: utimeout cannot be applied here (TCP_USER_TIMEOUT is a Linux socket"
                    + " option and this is FreeBSD); connections get keepalive alone, and data in flight is given up after the"
                    + " kernel's retransmissions"), stderr::toString);
            // JDK 17 takes os.name for its jdk.net options too and refuses TCP_KEEP*; JDK 25 does not. Either way: once.
            assertTrue(stderr.stream().filter(l -> l.contains("refused TCP_KEEPIDLE")).count() <= 1, stderr::toString);
            // Where the JDK refuses them, the agent must not set them by Linux's numbers, which mean other options
            // elsewhere: the kernel keeps its own idle time (7200 s here), not 600.
            boolean jdkRefused = stderr.stream().anyMatch(l -> l.contains("refused TCP_KEEPIDLE=600"));
            assertTrue(jdkRefused ? kernel.secondsToNextProbe() > 7000 : kernel.secondsToNextProbe() <= 600, kernel::toString);
            assertTrue(!jdkRefused || stderr.stream().anyMatch(l -> l.contains("this JDK offers no TCP_KEEPIDLE on another"
                    + " system, and Linux's number for it means another option there")), stderr::toString);
            assertTrue(stderr.stream().noneMatch(l -> l.contains("TCP_USER_TIMEOUT=")), "never tried: " + stderr);
            assertTrue(stderr.stream().anyMatch(l -> l.contains(" utimeout=5s (args; not applied here) -> a dead idle peer"
                    + " is found within 720s, with data in flight within the kernel's own retransmission limit")),
                    () -> "the start-up line's bounds are keepalive's alone there: " + stderr);
        }
        try (ForkedJvm child = ForkedJvm.start("idle=600,utimeout=5s", jvmArgs, List.of(), RulesScenario.class.getName(),
                "127.0.0.1:" + port)) {
            assertTrue(child.awaitLine("SOCKET client", TIMEOUT).endsWith(" utimeout=0"), "not set on the socket");
            child.release();
        }
    }

    private static void assertSettings(SocketLine end, int idle, int intvl, int cnt) {
        assertTrue(end.keepalive, end::toString);
        assertEquals(idle, end.idle, end::toString);
        assertEquals(intvl, end.intvl, end::toString);
        assertEquals(cnt, end.cnt, end::toString);
    }

    private static void assertKernelTimer(SocketLine end, int idle) throws Exception {
        KernelView kernel = KernelView.of(end.localPort, end.remotePort).orElseThrow();
        assertTrue(kernel.keepaliveTimerRunning() && kernel.secondsToNextProbe() > idle - 10
                && kernel.secondsToNextProbe() <= idle, () -> end + ": " + kernel);
    }

}
