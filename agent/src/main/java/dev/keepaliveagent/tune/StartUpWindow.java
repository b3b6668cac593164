package dev.keepaliveagent.tune;

import dev.keepaliveagent.boot.Switchboard;
import dev.keepaliveagent.config.KeepaliveSettings;
import dev.keepaliveagent.diagnose.DeadPeerReport;
import dev.keepaliveagent.log.AgentLog;
import dev.keepaliveagent.proc.ProcessSockets;
import java.io.FileDescriptor;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The TCP sockets the JVM opened before the agent's hooks were live, while the agent started up or,
 * after an attach, since the app began: found in {@code /proc/self} once the hooks are live,
 * configured through their descriptor numbers with the rules of their kind (a connection whose local
 * port this process listens on was accepted, any other was made), and known from then on when the
 * app's own descriptor shows up in a hook.
 *
 * <p>Two cases cannot be seen in {@code /proc/self} when the hooks go live, because a thread was
 * inside a JDK method that started before it was woven and so still runs the old code: a connect
 * that had not reached the kernel yet (it shows up as SYN_SENT and is taken here), and an accept
 * already waiting on a listening socket, which returns a connection no hook sees. For the latter,
 * each listening socket gets the settings of its port itself, which Linux copies to the
 * connections it accepts, and such a connection is adopted when the app's descriptor first shows up.
 */
public final class StartUpWindow {

    private static final Path SELF = Paths.get("/proc/self");
    /** The kind of every connection found after an attach, in the MBean's counts and the dead-peer line. */
    static final String RESCUED_AT_ATTACH = "rescued at attach";

    private final Map<Integer, Rescuer.Rescued> rescuedByNumber = new ConcurrentHashMap<>();
    private final Set<Integer> listeningPorts;
    private final boolean attached;
    private final List<String> report = new ArrayList<>();

    private StartUpWindow(Set<Integer> listeningPorts, boolean attached) {
        this.listeningPorts = listeningPorts;
        this.attached = attached;
    }

    /** Null where this process's sockets can be looked up in {@code /proc/self} (Linux), else why not. */
    public static String whyItCannotLook() {
        return whyItCannotLook(SELF);
    }

    static String whyItCannotLook(Path process) {
        if (Files.isDirectory(process.resolve("fd")) && Files.isReadable(process.resolve("net").resolve("tcp"))) {
            return null;
        }
        return "there is no " + process.resolve("fd") + " and " + process.resolve("net").resolve("tcp") + " to look in on "
                + System.getProperty("os.name") + ", so a socket opened before the hooks were live keeps the system's keepalive";
    }

    /**
     * Configures every connection and listening socket of this process that the hooks did not see;
     * call once the hooks are live, where {@link #whyItCannotLook} is null. Returns what it did, one
     * entry per socket; after an attach ({@code attached}), one per connection.
     */
    public static List<String> configureWhatWasOpened(SocketTuner tuner, boolean attached) {
        try {
            Map<String, Integer> fdByInode = ProcessSockets.socketDescriptors(SELF);
            List<ProcessSockets.Row> sockets = ProcessSockets.tcpSockets(SELF, fdByInode);
            Set<Integer> listening = ConcurrentHashMap.newKeySet();
            for (ProcessSockets.Row row : sockets) {
                if (row.state == ProcessSockets.LISTEN) {
                    listening.add(row.local.getPort());
                }
            }
            StartUpWindow window = new StartUpWindow(listening, attached);
            window.configure(tuner, sockets, fdByInode);
            if (!window.rescuedByNumber.isEmpty() || !listening.isEmpty()) {
                tuner.adoptFrom(window);
            }
            return window.report;
        } catch (Throwable t) {
            String what = attached ? "the connections already open" : "connections opened while the agent started";
            Switchboard.suppressed("looking for " + what, t);
            return Collections.singletonList("could not look for " + what + ": " + t);
        }
    }

    private void configure(SocketTuner tuner, List<ProcessSockets.Row> sockets, Map<String, Integer> fdByInode)
            throws Throwable {
        Set<Integer> hooked = tuner.configuredNumbers();
        List<Rescuer.Rescued> established = new ArrayList<>();
        for (ProcessSockets.Row row : sockets) {
            int number = fdByInode.get(row.inode);
            if (hooked.contains(number)) {
                continue;
            }
            FileDescriptor descriptor = Rescuer.descriptorOf(number);
            if (row.state == ProcessSockets.LISTEN) {
                KeepaliveSettings settings = tuner.settingsFor(null, row.local.getPort());
                if (settings != null) {
                    tuner.configureListener(descriptor, settings);
                    String listener = "listening " + DeadPeerReport.address(row.local) + ": " + settings;
                    if (!attached) {
                        report.add(listener);
                    } else if (AgentLog.isDebugEnabled()) {
                        AgentLog.debug("a socket that listened before the attach, for the connections it accepts: " + listener);
                    }
                }
                continue;
            }
            if (row.state != ProcessSockets.ESTABLISHED && row.state != ProcessSockets.SYN_SENT) {
                continue; // closing, or closed by the peer: nothing left to keep alive
            }
            boolean accepted = listeningPorts.contains(row.local.getPort());
            String outcome = tuner.rescue(descriptor, row.remote, kind(accepted),
                    tuner.settingsFor(row.remote, accepted ? row.local.getPort() : -1), attached);
            report.add((attached ? "" : accepted ? "accepted " : "made ") + DeadPeerReport.address(row.local) + " -> "
                    + DeadPeerReport.address(row.remote) + ": " + outcome);
            Rescuer.Rescued rescued = new Rescuer.Rescued(number, row.inode, descriptor, row.local, row.remote);
            rescuedByNumber.put(number, rescued);
            if (row.state == ProcessSockets.ESTABLISHED) {
                established.add(rescued); // a thread may read it in code woven too late to report its failure
            }
        }
        if (!established.isEmpty()) {
            tuner.watch(established);
        }
    }

    /**
     * The socket behind the app's descriptor {@code fd}, if it is a connection of the window (or
     * one accepted on a listening socket of the window by an accept that began before the hooks
     * were live, configured now); else null.
     */
    ManagedSocket adopt(FileDescriptor fd, SocketTuner tuner) {
        try {
            int number = Rescuer.numberOf(fd);
            Rescuer.Rescued rescued = rescuedByNumber.get(number);
            if (rescued == null && listeningPorts.isEmpty()) {
                return null; // the common case, without a system call
            }
            String inode = number < 0 ? null : ProcessSockets.inodeOf(SELF.resolve("fd").resolve(String.valueOf(number)));
            if (inode == null) {
                return null;
            }
            if (rescued != null && rescued.inode.equals(inode)) {
                return tuner.registered(rescued.descriptor);
            }
            return listeningPorts.isEmpty() ? null : adoptAccepted(fd, number, inode, tuner);
        } catch (Throwable t) {
            Switchboard.suppressed("looking up a connection opened while the agent started", t);
            return null;
        }
    }

    private ManagedSocket adoptAccepted(FileDescriptor fd, int number, String inode, SocketTuner tuner) throws Throwable {
        for (ProcessSockets.Row row : ProcessSockets.tcpSockets(SELF, Collections.singletonMap(inode, number))) {
            if (row.state == ProcessSockets.ESTABLISHED && listeningPorts.contains(row.local.getPort())) {
                tuner.rescue(fd, row.remote, kind(true), tuner.settingsFor(row.remote, row.local.getPort()), attached);
                return tuner.registered(fd);
            }
        }
        return null;
    }

    /** The kind a connection of the window is counted and reported under. */
    private String kind(boolean accepted) {
        return attached ? RESCUED_AT_ATTACH : accepted ? "accept" : "connect";
    }
}
