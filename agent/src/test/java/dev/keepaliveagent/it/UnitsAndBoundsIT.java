package dev.keepaliveagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a user's settings make on the socket and what the start-up line says of them: {@code utimeout=auto}
 * never longer than the kernel's own retransmissions, and a bare {@code utimeout} number never silently
 * milliseconds.
 */
class UnitsAndBoundsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** README's own example: 600 + 60 × 20 = 1800 s, twice the kernel's 924.6 s, so auto leaves data in flight to the kernel. */
    @Test
    void autoLongerThanTheKernelsRetransmissionsIsNotSetAndTheLineSaysWhatHolds() throws Exception {
        long retries2 = KernelView.sysctl("tcp_retries2");
        String kernelLimit = retransmissionText(retries2);
        try (ForkedJvm child = ForkedJvm.start("idle=600,intvl=60,cnt=20", TestJvm.openSunNioCh(), List.of(),
                RulesScenario.class.getName(), "127.0.0.1:" + TestPorts.next())) {
            String client = child.awaitLine("SOCKET client", TIMEOUT);
            child.awaitLine("READY", TIMEOUT);
            assertTrue(client.contains(" idle=600 intvl=60 cnt=20 "), client);
            assertTrue(client.endsWith(" utimeout=0"), "TCP_USER_TIMEOUT as the kernel holds it: " + client);
            String line = child.awaitStderr("a dead idle peer is found within", TIMEOUT);
            assertTrue(line.contains(" utimeout=off (default: auto, as idle + intvl × cnt is longer than the kernel's own"
                    + " limit) -> a dead idle peer is found within 1800s, with data in flight within " + kernelLimit
                    + ", the kernel's own limit"), line);
            child.release();
            child.awaitSuccess(TIMEOUT);
        }
    }

    @Test
    void autoWithinTheKernelsRetransmissionsIsSetAsBefore() throws Exception {
        long retries2 = KernelView.sysctl("tcp_retries2");
        org.junit.jupiter.api.Assumptions.assumeTrue(retries2 >= 15, "this host's tcp_retries2=" + retries2
                + " gives up before 900 s; the unit tests cover auto under other limits");
        try (ForkedJvm child = ForkedJvm.start("idle=600,intvl=60,cnt=5", TestJvm.openSunNioCh(), List.of(),
                RulesScenario.class.getName(), "127.0.0.1:" + TestPorts.next())) {
            String client = child.awaitLine("SOCKET client", TIMEOUT);
            child.awaitLine("READY", TIMEOUT);
            assertTrue(client.endsWith(" utimeout=900000"), client);
            String line = child.awaitStderr("a dead idle peer is found within", TIMEOUT);
            assertTrue(line.contains(" utimeout=900s (default) -> a dead idle peer is found within 900s, with data in flight"
                    + " within 900s"), line);
            child.release();
            child.awaitSuccess(TIMEOUT);
        }
    }

    @Test
    void aUserTimeoutLongerThanTheKernelsOwnLimitIsSetAndWarnedAboutWithTheFigures() throws Exception {
        String kernelLimit = retransmissionText(KernelView.sysctl("tcp_retries2"));
        try (ForkedJvm child = ForkedJvm.start("idle=600,utimeout=2h", TestJvm.openSunNioCh(), List.of(),
                RulesScenario.class.getName(), "127.0.0.1:" + TestPorts.next())) {
            String client = child.awaitLine("SOCKET client", TIMEOUT);
            child.awaitLine("READY", TIMEOUT);
            assertTrue(client.endsWith(" utimeout=7200000"), "what was asked for, as the kernel holds it: " + client);
            String warning = child.awaitStderr("[keepalive-agent] WARN: utimeout=2h", TIMEOUT);
            assertEquals("[keepalive-agent] WARN: utimeout=2h gives up on data in flight after 7200s, later than the kernel by"
                    + " itself here, after " + kernelLimit + ": with data in flight a dead peer would be found later than with no"
                    + " agent at all; give at most " + kernelLimit.split("[.s]")[0] + "s, or auto", warning);
            child.release();
            child.awaitSuccess(TIMEOUT);
        }
    }

    /**
     * tcp(7): the retransmission timeout starts at 200 ms and doubles up to 120 s; tcp_retries2=15 gives a
     * hypothetical timeout of 924.6 s. Summed here step by step, not as the agent computes it.
     */
    private static String retransmissionText(long retries2) {
        long millis = 0;
        long rto = 200;
        for (long i = 0; i <= retries2; i++) {
            millis += rto;
            rto = Math.min(rto * 2, 120_000);
        }
        String seconds = millis % 1000 == 0 ? String.valueOf(millis / 1000) : millis / 1000 + "." + millis % 1000 / 100;
        return seconds + "s (tcp_retries2=" + retries2 + ")";
    }
}
