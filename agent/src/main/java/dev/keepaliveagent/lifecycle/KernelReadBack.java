package dev.keepaliveagent.lifecycle;

import dev.keepaliveagent.config.KeepaliveOption;
import dev.keepaliveagent.config.Settings;
import dev.keepaliveagent.diagnose.DeadPeerReport;
import dev.keepaliveagent.log.AgentLog;
import dev.keepaliveagent.observe.Telemetry;
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
final class KernelReadBack {

    private final Telemetry telemetry;
    private final Set<String> checked = ConcurrentHashMap.newKeySet();
    private final Set<String> verified = ConcurrentHashMap.newKeySet();

    KernelReadBack(Telemetry telemetry) {
        this.telemetry = telemetry;
    }

    /** Whether {@code kind} still waits for its first connection to be read back; true only once per kind. */
    boolean firstOf(String kind) {
        return !checked.contains(kind) && checked.add(kind);
    }

    /**
     * Reads the first connection of {@code kind} back; a mismatch is a WARN naming the kind and a
     * count in the MBean, so that the start-up line's claim of coverage never stands unchecked.
     */
    void check(String kind, InetSocketAddress remote, Settings applied, Endpoint kernel) {
        List<String> differences;
        try {
            differences = differences(kernel, applied);
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
     * What the kernel has that differs from {@code applied} on this connection, of the options the agent
     * set (those it can), e.g. "TCP_KEEPIDLE=7200 (set 600)"; empty if it has everything.
     */
    private static List<String> differences(Endpoint kernel, Settings applied)
            throws IOException {
        List<String> differences = new ArrayList<>();
        if (!kernel.keepaliveOn()) {
            differences.add("SO_KEEPALIVE=0 (set 1)");
        }
        for (KeepaliveOption option : KeepaliveOption.all()) {
            if (applied.isSet(option) && kernel.canSet(option)) {
                int actual = kernel.get(option);
                if (actual != applied.get(option)) {
                    differences.add(option.kernelName() + "=" + actual + " (set " + applied.get(option) + ")");
                }
            }
        }
        return differences;
    }

    /** The kinds whose first connection the kernel showed configured as set. */
    Set<String> verifiedKinds() {
        return Collections.unmodifiableSet(new HashSet<>(verified));
    }
}
