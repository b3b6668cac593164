package dev.keepaliveagent.tune;

import dev.keepaliveagent.config.KeepaliveSettings;
import dev.keepaliveagent.diagnose.DeadPeerReport;
import dev.keepaliveagent.log.AgentLog;
import dev.keepaliveagent.observe.Telemetry;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads the first connection of each kind back from the kernel ({@code getsockopt}), so that the
 * agent never claims a coverage it does not have: a JDK whose internals take the agent's calls and
 * drop them would otherwise look healthy. Later connections of a kind pay one set lookup.
 */
final class KernelReadBack {

    private static final int SO_KEEPALIVE = SocketOptionWriter.SO_KEEPALIVE;
    private static final int TCP_KEEPIDLE = SocketOptionWriter.TCP_KEEPIDLE;
    private static final int TCP_KEEPINTVL = SocketOptionWriter.TCP_KEEPINTVL;
    private static final int TCP_KEEPCNT = SocketOptionWriter.TCP_KEEPCNT;
    private static final int SOL_SOCKET = SocketOptionWriter.SOL_SOCKET;
    private static final int IPPROTO_TCP = SocketOptionWriter.IPPROTO_TCP;
    private static final int TCP_USER_TIMEOUT = SocketOptionWriter.TCP_USER_TIMEOUT;

    /** Reads the kernel's values through the tuner's seam, where tests play the kernel. */
    private final SocketTuner.OptionSetter kernel;
    private final Telemetry telemetry;
    private final Set<String> checked = ConcurrentHashMap.newKeySet();
    private final Set<String> verified = ConcurrentHashMap.newKeySet();

    KernelReadBack(SocketTuner.OptionSetter kernel, Telemetry telemetry) {
        this.kernel = kernel;
        this.telemetry = telemetry;
    }

    /**
     * Reads the first connection of {@code kind} back; a mismatch is a WARN naming the kind and a
     * count in the MBean, so that the start-up line's claim of coverage never stands unchecked.
     */
    void check(FileDescriptor fd, InetSocketAddress remote, String kind, KeepaliveSettings applied, boolean userTimeoutSet) {
        List<String> differences;
        try {
            differences = differences(fd, applied, userTimeoutSet);
        } catch (IOException closedMeanwhile) {
            checked.remove(kind); // the next connection of this kind is read back instead
            return;
        }
        if (differences.isEmpty()) {
            verified.add(kind);
            return;
        }
        telemetry.readBackMismatch(kind);
        AgentLog.warn("the kernel does not have what the agent set on the first connection made by " + kind + " (with "
                + (remote == null ? "an unknown peer" : DeadPeerReport.address(remote)) + "): " + String.join(", ", differences)
                + "; connections made by " + kind + " may not get keepalive on this JDK ("
                + System.getProperty("java.runtime.version") + "). Please report it");
    }

    /** Whether {@code kind} still waits for its first connection to be read back. */
    boolean firstOf(String kind) {
        return !checked.contains(kind) && checked.add(kind);
    }

    /**
     * What the kernel has that differs from {@code applied} on this connection, e.g.
     * "TCP_KEEPIDLE=7200 (set 600)"; empty if it has everything.
     */
    private List<String> differences(FileDescriptor fd, KeepaliveSettings applied, boolean userTimeoutSet) throws IOException {
        List<String> differences = new ArrayList<>();
        compare(differences, "SO_KEEPALIVE", kernel.get(fd, SOL_SOCKET, SO_KEEPALIVE) != 0 ? 1 : 0, 1);
        compare(differences, "TCP_KEEPIDLE", kernel.get(fd, IPPROTO_TCP, TCP_KEEPIDLE), applied.idleSeconds());
        compare(differences, "TCP_KEEPINTVL", kernel.get(fd, IPPROTO_TCP, TCP_KEEPINTVL), applied.intervalSeconds());
        compare(differences, "TCP_KEEPCNT", kernel.get(fd, IPPROTO_TCP, TCP_KEEPCNT), applied.probeCount());
        if (userTimeoutSet) {
            compare(differences, "TCP_USER_TIMEOUT", kernel.get(fd, IPPROTO_TCP, TCP_USER_TIMEOUT), applied.userTimeoutMillis());
        }
        return differences;
    }

    /** The kinds whose first connection the kernel showed configured as set. */
    Set<String> verifiedKinds() {
        return Set.copyOf(verified);
    }

    private static void compare(List<String> differences, String option, int actual, int expected) {
        if (actual != expected) {
            differences.add(option + "=" + actual + " (set " + expected + ")");
        }
    }
}
