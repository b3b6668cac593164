package dev.keepaliveagent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The kernel's own time to give up on unacknowledged data, as tcp(7) gives it: 924.6 s for tcp_retries2=15. */
class RetransmissionLimitTest {

    @ParameterizedTest(name = "tcp_retries2={0} -> {1} ms")
    @CsvSource({"15, 924600", "8, 102200", "9, 204600", "10, 324600", "0, 200", "3, 3000"})
    void theKernelsModelOfItsOwnBackoff(int retries, long millis) {
        assertEquals(millis, RetransmissionLimit.of(retries).millis());
    }

    @Test
    void aLowerCeilingMakesTheLinearPartLonger() {
        // tcp_rto_max_ms=60000: doubling up to 51.2 s (threshold 8), then 60 s steps.
        assertEquals(511 * 200 + 7 * 60_000, RetransmissionLimit.modelTimeoutMillis(15, 60_000));
    }

    @Test
    void saysItsRetriesAndItsSeconds() {
        assertEquals("924.6s (tcp_retries2=15)", RetransmissionLimit.of(15).toString());
        assertEquals("3s (tcp_retries2=3)", RetransmissionLimit.of(3).toString());
    }

    @Test
    void thisHostsLimitIsTheKernelsModelOfItsOwnSetting() throws Exception {
        long retries = Long.parseLong(sysctl("tcp_retries2"));
        java.nio.file.Path rtoMax = java.nio.file.Paths.get("/proc/sys/net/ipv4/tcp_rto_max_ms");
        long ceiling = java.nio.file.Files.exists(rtoMax) ? Long.parseLong(sysctl("tcp_rto_max_ms")) : 120_000;
        assertEquals(RetransmissionLimit.modelTimeoutMillis((int) retries, ceiling), RetransmissionLimit.ofThisHost().millis());
    }

    /** The value as cat(1) prints it: read by another program than the one under test. */
    private static String sysctl(String name) throws Exception {
        Process sysctl = new ProcessBuilder("cat", "/proc/sys/net/ipv4/" + name).redirectErrorStream(true).start();
        String value = new String(sysctl.getInputStream().readAllBytes()).trim();
        assertEquals(0, sysctl.waitFor(), value);
        return value;
    }
}
