package dev.keepaliveagent.tune;

import dev.keepaliveagent.config.KeepaliveSettings;
import dev.keepaliveagent.diagnose.DeadPeerReport;
import dev.keepaliveagent.log.AgentLog;
import dev.keepaliveagent.observe.Telemetry;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads the first connection of each kind back from the kernel ({@code getsockopt}), so that the
 * agent never claims a coverage it does not have: a JDK (or a Netty) whose internals take the
 * agent's calls and drop them would otherwise look healthy. Later connections of a kind pay one set
 * lookup.
 */
public final class KernelReadBack {

    /** What is read back. */
    public enum Option { SO_KEEPALIVE, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT, TCP_USER_TIMEOUT }

    /** One connection's options as the kernel has them: SO_KEEPALIVE as 1 (on) or 0. */
    public interface Kernel {
        /** @throws IOException where the connection is closed meanwhile, or cannot be read */
        int get(Option option) throws IOException;
    }

    private final Telemetry telemetry;
    private final Set<String> checked = ConcurrentHashMap.newKeySet();
    private final Set<String> verified = ConcurrentHashMap.newKeySet();

    public KernelReadBack(Telemetry telemetry) {
        this.telemetry = telemetry;
    }

    /** A JDK socket's options, through its descriptor and the tuner's seam (where tests play the kernel). */
    static Kernel of(SocketTuner.OptionSetter options, FileDescriptor fd) {
        return option -> {
            switch (option) {
                case SO_KEEPALIVE:
                    return options.get(fd, SocketOptionWriter.SOL_SOCKET, SocketOptionWriter.SO_KEEPALIVE) != 0 ? 1 : 0;
                case TCP_KEEPIDLE:
                    return options.get(fd, SocketOptionWriter.IPPROTO_TCP, SocketOptionWriter.TCP_KEEPIDLE);
                case TCP_KEEPINTVL:
                    return options.get(fd, SocketOptionWriter.IPPROTO_TCP, SocketOptionWriter.TCP_KEEPINTVL);
                case TCP_KEEPCNT:
                    return options.get(fd, SocketOptionWriter.IPPROTO_TCP, SocketOptionWriter.TCP_KEEPCNT);
                default:
                    return options.get(fd, SocketOptionWriter.IPPROTO_TCP, SocketOptionWriter.TCP_USER_TIMEOUT);
            }
        };
    }

    /** Whether {@code kind} still waits for its first connection to be read back; true only once per kind. */
    public boolean firstOf(String kind) {
        return !checked.contains(kind) && checked.add(kind);
    }

    /**
     * Reads the first connection of {@code kind} back; a mismatch is a WARN naming the kind and a
     * count in the MBean, so that the start-up line's claim of coverage never stands unchecked.
     */
    public void check(String kind, InetSocketAddress remote, KeepaliveSettings applied, boolean userTimeoutSet, Kernel kernel) {
        List<String> differences;
        try {
            differences = differences(kernel, applied, userTimeoutSet);
        } catch (IOException closedMeanwhile) {
            checked.remove(kind); // the next connection of this kind is read back instead
            return;
        }
        String peer = remote == null ? "an unknown peer" : DeadPeerReport.address(remote);
        if (differences.isEmpty()) {
            verified.add(kind);
            if (AgentLog.isDebugEnabled()) {
                AgentLog.debug("the first connection made by " + kind + " (with " + peer + "), read back from the kernel,"
                        + " has what the agent set: " + applied);
            }
            return;
        }
        telemetry.readBackMismatch(kind);
        AgentLog.warn("the kernel does not have what the agent set on the first connection made by " + kind + " (with "
                + peer + "): " + String.join(", ", differences) + "; connections made by " + kind
                + " may not get keepalive on this JDK (" + System.getProperty("java.runtime.version") + "). Please report it");
    }

    /**
     * What the kernel has that differs from {@code applied} on this connection, e.g.
     * "TCP_KEEPIDLE=7200 (set 600)"; empty if it has everything.
     */
    private static List<String> differences(Kernel kernel, KeepaliveSettings applied, boolean userTimeoutSet) throws IOException {
        List<String> differences = new ArrayList<>();
        compare(differences, kernel, Option.SO_KEEPALIVE, 1);
        compare(differences, kernel, Option.TCP_KEEPIDLE, applied.idleSeconds());
        compare(differences, kernel, Option.TCP_KEEPINTVL, applied.intervalSeconds());
        compare(differences, kernel, Option.TCP_KEEPCNT, applied.probeCount());
        if (userTimeoutSet) {
            compare(differences, kernel, Option.TCP_USER_TIMEOUT, applied.userTimeoutMillis());
        }
        return differences;
    }

    /** The kinds whose first connection the kernel showed configured as set. */
    public Set<String> verifiedKinds() {
        return Collections.unmodifiableSet(new HashSet<>(verified));
    }

    private static void compare(List<String> differences, Kernel kernel, Option option, int expected) throws IOException {
        int actual = kernel.get(option);
        if (actual != expected) {
            differences.add(option + "=" + actual + " (set " + expected + ")");
        }
    }
}
