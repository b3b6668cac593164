package dev.keepaliveagent.tune;

import dev.keepaliveagent.config.KeepaliveOption;
import dev.keepaliveagent.config.Settings;
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
import java.util.function.Predicate;

/**
 * Reads the first connection of each kind back from the kernel ({@code getsockopt}), so that the
 * agent never claims a coverage it does not have: a JDK (or a Netty) whose internals take the
 * agent's calls and drop them would otherwise look healthy. Later connections of a kind pay one set
 * lookup.
 */
public final class KernelReadBack {

    /** One connection's options as the kernel has them. */
    public interface Kernel {
        /** SO_KEEPALIVE, as on or off. @throws IOException where the connection is closed meanwhile, or cannot be read */
        boolean keepaliveOn() throws IOException;

        /** @throws IOException where the connection is closed meanwhile, or cannot be read */
        int get(KeepaliveOption option) throws IOException;
    }

    private final Telemetry telemetry;
    private final Set<String> checked = ConcurrentHashMap.newKeySet();
    private final Set<String> verified = ConcurrentHashMap.newKeySet();

    public KernelReadBack(Telemetry telemetry) {
        this.telemetry = telemetry;
    }

    /** A JDK socket's options, through its descriptor and the tuner's seam (where tests play the kernel). */
    static Kernel of(SocketTuner.OptionSetter options, FileDescriptor fd) {
        return new Kernel() {
            @Override
            public boolean keepaliveOn() throws IOException {
                return options.get(fd, SocketOptionWriter.SOL_SOCKET, SocketOptionWriter.SO_KEEPALIVE) != 0;
            }

            @Override
            public int get(KeepaliveOption option) throws IOException {
                return options.get(fd, option.level(), option.linuxNumber());
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
    public void check(String kind, InetSocketAddress remote, Settings applied, Predicate<KeepaliveOption> wasSet, Kernel kernel) {
        List<String> differences;
        try {
            differences = differences(kernel, applied, wasSet);
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
     * set ({@code wasSet}), e.g. "TCP_KEEPIDLE=7200 (set 600)"; empty if it has everything.
     */
    private static List<String> differences(Kernel kernel, Settings applied, Predicate<KeepaliveOption> wasSet)
            throws IOException {
        List<String> differences = new ArrayList<>();
        if (!kernel.keepaliveOn()) {
            differences.add("SO_KEEPALIVE=0 (set 1)");
        }
        for (KeepaliveOption option : KeepaliveOption.all()) {
            if (applied.isSet(option) && wasSet.test(option)) {
                int actual = kernel.get(option);
                if (actual != applied.get(option)) {
                    differences.add(option.kernelName() + "=" + actual + " (set " + applied.get(option) + ")");
                }
            }
        }
        return differences;
    }

    /** The kinds whose first connection the kernel showed configured as set. */
    public Set<String> verifiedKinds() {
        return Collections.unmodifiableSet(new HashSet<>(verified));
    }
}
