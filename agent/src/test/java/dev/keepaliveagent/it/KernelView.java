package dev.keepaliveagent.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Optional;

/**
 * The kernel's own view of a TCP connection, read from {@code /proc/net/tcp} and {@code tcp6}: the
 * {@code tr} column says which timer runs (2 = keepalive), {@code tm->when} when it fires, in
 * hundredths of a second.
 */
final class KernelView {

    /** {@code tr} 1: the retransmission timer (unacknowledged data in flight). */
    static final int RETRANSMIT_TIMER = 1;
    static final int KEEPALIVE_TIMER = 2;

    final int timer;
    final long whenCentiseconds;

    private KernelView(int timer, long whenCentiseconds) {
        this.timer = timer;
        this.whenCentiseconds = whenCentiseconds;
    }

    boolean keepaliveTimerRunning() {
        return timer == KEEPALIVE_TIMER;
    }

    double secondsToNextProbe() {
        return whenCentiseconds / 100.0;
    }

    /** A value of /proc/sys/net/ipv4, e.g. {@code tcp_keepalive_probes}. */
    static long sysctl(String name) throws IOException {
        // readAllLines: one large read (procfs answers a read at a non-zero offset with end-of-file)
        return Long.parseLong(Files.readAllLines(Paths.get("/proc/sys/net/ipv4", name)).get(0).trim());
    }

    /** The established connection from {@code localPort} to {@code remotePort}, in this network namespace. */
    static Optional<KernelView> of(int localPort, int remotePort) throws IOException {
        return in(Paths.get("/proc/net"), localPort, remotePort);
    }

    /** As {@link #of}, in the network namespace of process {@code pid} (which may be another than the test's). */
    static Optional<KernelView> ofProcess(long pid, int localPort, int remotePort) throws IOException {
        return in(Paths.get("/proc", String.valueOf(pid), "net"), localPort, remotePort);
    }

    private static Optional<KernelView> in(Path procNet, int localPort, int remotePort) throws IOException {
        // A process that is gone has no table: "no such connection" would then pass a test that expects
        // the kernel to have dropped one, whatever the kernel did.
        if (!Files.isDirectory(procNet)) {
            throw new AssertionError(procNet + " does not exist: the process whose connections were to be read is gone");
        }
        for (String table : List.of("tcp", "tcp6")) {
            Path path = procNet.resolve(table);
            if (!Files.exists(path)) {
                continue;
            }
            for (String line : Files.readAllLines(path)) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 6 || !f[1].contains(":") || f[0].equals("sl")) {
                    continue;
                }
                if (port(f[1]) == localPort && port(f[2]) == remotePort && f[3].equals("01")) {
                    String[] timer = f[5].split(":");
                    return Optional.of(new KernelView(Integer.parseInt(timer[0], 16), Long.parseLong(timer[1], 16)));
                }
            }
        }
        return Optional.empty();
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.indexOf(':') + 1), 16);
    }

    @Override
    public String toString() {
        return "timer " + timer + " fires in " + secondsToNextProbe() + "s";
    }
}
