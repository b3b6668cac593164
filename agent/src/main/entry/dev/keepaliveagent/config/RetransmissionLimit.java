package dev.keepaliveagent.config;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * How long Linux keeps retransmitting unacknowledged data before it drops the connection, when no
 * TCP_USER_TIMEOUT is set: the time {@code tcp_retries2} retransmissions take with the RTO doubling from
 * 200 ms up to its 120 s ceiling (the kernel's {@code tcp_model_timeout}), 924.6 s for the default 15.
 * {@code utimeout=auto} must never be longer than this, or the agent would make a dead peer with data in
 * flight take longer to find than it does without the agent.
 */
public final class RetransmissionLimit {

    /** The kernel's default {@code net.ipv4.tcp_retries2}. */
    static final int DEFAULT_RETRIES = 15;
    private static final long RTO_MIN_MILLIS = 200;
    private static final long DEFAULT_RTO_MAX_MILLIS = 120_000;

    private final int retries;
    private final long millis;
    private final boolean read;

    private RetransmissionLimit(int retries, long rtoMaxMillis, boolean read) {
        this.retries = retries;
        this.millis = modelTimeoutMillis(retries, rtoMaxMillis);
        this.read = read;
    }

    /** The limit of this JVM's network namespace, or of the kernel's defaults where it cannot be read (not Linux). */
    static RetransmissionLimit ofThisHost() {
        long retries = sysctl("/proc/sys/net/ipv4/tcp_retries2");
        long rtoMax = sysctl("/proc/sys/net/ipv4/tcp_rto_max_ms"); // Linux 6.15 and later
        return new RetransmissionLimit(retries < 0 ? DEFAULT_RETRIES : (int) Math.min(retries, 255),
                rtoMax > 0 ? rtoMax : DEFAULT_RTO_MAX_MILLIS, retries >= 0);
    }

    /** The limit of a kernel whose {@code tcp_retries2} is {@code retries}, the RTO ceiling its default. */
    static RetransmissionLimit of(int retries) {
        return new RetransmissionLimit(retries, DEFAULT_RTO_MAX_MILLIS, true);
    }

    /** The kernel's {@code tcp_model_timeout} with {@code TCP_RTO_MIN} as its base. */
    static long modelTimeoutMillis(int retries, long rtoMaxMillis) {
        int linearBackoffThreshold = 63 - Long.numberOfLeadingZeros(rtoMaxMillis / RTO_MIN_MILLIS);
        if (retries <= linearBackoffThreshold) {
            return ((2L << retries) - 1) * RTO_MIN_MILLIS;
        }
        return ((2L << linearBackoffThreshold) - 1) * RTO_MIN_MILLIS + (retries - linearBackoffThreshold) * rtoMaxMillis;
    }

    public long millis() {
        return millis;
    }

    /**
     * Warns where {@code value} of {@code option}, given as {@code sourced}, is a TCP_USER_TIMEOUT longer than
     * this limit: the kernel would give a dead peer up sooner by itself, so the agent would make it worse.
     */
    void warnIfLonger(KeepaliveOption option, int value, Sourced sourced, List<String> warnings) {
        if (option == KeepaliveOption.UTIMEOUT && value > millis) {
            warnings.add(option.key() + "=" + InputText.printable(sourced.value) + sourced.from() + " gives up on data in"
                    + " flight after " + option.text(value) + ", later than the kernel by itself here, after " + this
                    + ": with data in flight a dead peer would be found later than with no agent at all; give at most "
                    + millis / 1000 + "s, or auto");
        }
    }

    /** As the start-up line says it: {@code 924.6s (tcp_retries2=15)}. */
    @Override
    public String toString() {
        String seconds = millis % 1000 == 0 ? String.valueOf(millis / 1000) : (millis / 1000) + "." + (millis % 1000 / 100);
        return seconds + "s (tcp_retries2=" + retries + (read ? "" : ", the kernel's default") + ")";
    }

    /**
     * In one read: a sysctl file answers only a read at offset 0, and {@code Files.readAllBytes} reads its
     * first byte alone (the file's size is 0), so it would see "1" of "15".
     */
    private static long sysctl(String file) {
        byte[] buffer = new byte[32];
        try (InputStream in = new FileInputStream(file)) {
            int length = in.read(buffer);
            return length <= 0 ? -1 : InputText.wholeNumber(new String(buffer, 0, length, StandardCharsets.US_ASCII).trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
