package dev.keepaliveagent.rescue;

import dev.keepaliveagent.boot.Switchboard;
import dev.keepaliveagent.config.Settings;
import dev.keepaliveagent.diagnose.DeadPeerReport;
import dev.keepaliveagent.jdk.DescribedSocket;
import dev.keepaliveagent.jdk.FileDescriptors;
import dev.keepaliveagent.lifecycle.Connection;
import dev.keepaliveagent.log.AgentLog;
import dev.keepaliveagent.proc.ProcessSockets;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The TCP sockets the JVM opened before the agent's hooks were live, while the agent started up or,
 * after an attach, since the app began: found among the descriptors in {@code /proc/self/fd} once the
 * hooks are live, each told by a few system calls on itself ({@link DescribedSocket}; the kernel's
 * tables, which hold every connection of the host, are read only for a connect still under way, whose
 * peer nothing else names), configured through their descriptor numbers with the rules of their kind
 * (a connection whose local port this process listens on was accepted, any other was made), and handed
 * to {@link UnseenConnections}, where a hook finds them when the app's own descriptor shows up.
 *
 * <p>A thread that was inside a JDK method when it was woven runs the old code to its end, so a
 * connect that had not reached the kernel at the first look can still return a connection no hook
 * sees. (An accept already waiting cannot: accepts are caught where the accepted socket or channel is
 * made, after the blocking call, in code woven by then.) So the tables are read again, off the app's
 * path, a tenth of a second, a second and two seconds later; a connection no hook handled in two looks
 * in a row is configured. Then the window closes.
 */
public final class StartUpWindow {

    private static final Path SELF = Paths.get("/proc/self");
    /** The kind of every connection found after an attach, in the MBean's counts and the dead-peer line. */
    static final String RESCUED_AT_ATTACH = "rescued at attach";
    /**
     * 0.1 s, 1 s and 2 s after the first look. A socket no hook has handled at one look is taken at the
     * next if still unhandled; the last look's own such sockets are left: in a JVM that connects all the
     * time, every look meets a few a hook is handling that very moment, and looking again for them would
     * go on for good.
     */
    private static final long[] LOOKS_AGAIN_AFTER_MILLIS = {100, 900, 1000};

    private final Rescue rescue;
    private final boolean attached;
    private final UnseenConnections unseen;
    /**
     * Inodes of connections no hook had handled at the last look again: taken at the next one if still
     * unhandled, since a connection a hook is handling this very moment would be configured twice.
     */
    private Set<String> unhandled = Collections.emptySet();

    private StartUpWindow(Rescue rescue) {
        this.rescue = rescue;
        this.unseen = rescue.found();
        this.attached = unseen.attached();
    }

    /** Null where this process's sockets can be looked up in {@code /proc/self} (Linux), else why not. */
    public static String whyItCannotLook() {
        return whyItCannotLook(SELF);
    }

    static String whyItCannotLook(Path process) {
        if (Files.isDirectory(process.resolve("fd"))) {
            return null;
        }
        return "there is no " + process.resolve("fd") + " to look in on " + System.getProperty("os.name")
                + ", so a socket opened before the hooks were live keeps the system's keepalive";
    }

    /**
     * Configures every connection and listening socket of this process that the hooks did not see;
     * call once the hooks are live, where {@link #whyItCannotLook} is null. Returns what it did, one
     * entry per socket; after an attach ({@code attached}), one per connection. Looks again later on
     * a thread of its own.
     */
    public static List<String> configureWhatWasOpened(Rescue rescue) {
        StartUpWindow window = new StartUpWindow(rescue);
        try {
            List<String> report = window.look(true);
            window.lookAgainLater();
            return report;
        } catch (Throwable t) {
            rescue.windowClosed();
            Switchboard.suppressed("looking for " + window.what(), t);
            return Collections.singletonList("could not look for " + window.what() + ": " + t);
        }
    }

    private String what() {
        return attached ? "the connections already open" : "connections opened while the agent started";
    }

    /** A socket of this process no hook has handled, as its descriptor tells it. */
    private static final class Unhandled {
        final int number;
        final String inode;
        final FileDescriptor descriptor;
        final DescribedSocket socket;

        Unhandled(int number, String inode, FileDescriptor descriptor, DescribedSocket socket) {
            this.number = number;
            this.inode = inode;
            this.descriptor = descriptor;
            this.socket = socket;
        }
    }

    private List<String> look(boolean first) throws Throwable {
        List<Unhandled> sockets = new ArrayList<>();
        for (Map.Entry<String, Integer> own : ProcessSockets.socketDescriptors(SELF).entrySet()) {
            int number = own.getValue();
            Connection known = rescue.numbered(number);
            boolean handled = known != null && known.isHandled();
            if (handled && !first) {
                continue; // a map look-up: the later looks make system calls on the unhandled sockets alone
            }
            FileDescriptor descriptor = FileDescriptors.descriptorOf(number);
            DescribedSocket socket = DescribedSocket.of(descriptor);
            if (socket == null) {
                continue;
            }
            if (first && socket.kernel.listening()) {
                unseen.listening(socket.local.getPort()); // hooked or not, it tells an accepted connection from a made one
            }
            if (!handled) {
                sockets.add(new Unhandled(number, own.getKey(), descriptor, socket));
            }
        }
        Map<String, InetSocketAddress> peersOfConnects = peersOfConnectsUnderWay(sockets);
        List<String> report = new ArrayList<>();
        Set<String> stillUnhandled = new HashSet<>();
        for (Unhandled candidate : sockets) {
            DescribedSocket socket = candidate.socket;
            if (!first && !socket.kernel.listening() && !unhandled.contains(candidate.inode)) {
                stillUnhandled.add(candidate.inode);
                continue;
            }
            if (socket.kernel.listening()) {
                if (first) {
                    configureListener(candidate.descriptor, socket.local, report);
                }
                continue;
            }
            InetSocketAddress remote = socket.kernel.established() ? socket.remote : peersOfConnects.get(candidate.inode);
            if (remote == null) {
                continue; // closing, or closed by the peer: nothing left to keep alive
            }
            int listenPort = unseen.listenPortOf(socket.local.getPort());
            String outcome = rescue.rescue(candidate.descriptor, remote, unseen.kind(listenPort > 0),
                    rescue.settingsFor(remote, listenPort));
            report.add((attached ? "" : listenPort > 0 ? "accepted " : "made ") + DeadPeerReport.address(socket.local) + " -> "
                    + DeadPeerReport.address(remote) + ": " + outcome);
            Rescued rescued = new Rescued(candidate.number, candidate.inode, candidate.descriptor,
                    socket.local, remote);
            unseen.found(rescued);
            if (socket.kernel.established()) {
                rescue.watch(rescued); // a thread may read it in code woven too late to report its failure
            }
        }
        unhandled = stillUnhandled;
        return report;
    }

    /**
     * The peers of the connects under way among {@code sockets}, by inode: the kernel names a peer to
     * {@code getpeername} only once it answered, so for these alone the tables are read. Rare: a
     * connect begun before the hooks were live and not answered yet.
     */
    private static Map<String, InetSocketAddress> peersOfConnectsUnderWay(List<Unhandled> sockets) {
        Map<String, Integer> connecting = new HashMap<>();
        for (Unhandled socket : sockets) {
            if (socket.socket.kernel.connecting()) {
                connecting.put(socket.inode, socket.number);
            }
        }
        Map<String, InetSocketAddress> peers = new HashMap<>();
        if (connecting.isEmpty()) {
            return peers;
        }
        try {
            for (ProcessSockets.Row row : ProcessSockets.tcpSockets(SELF, connecting)) {
                if (row.state == ProcessSockets.SYN_SENT || row.state == ProcessSockets.ESTABLISHED) {
                    peers.put(row.inode, row.remote);
                }
            }
        } catch (IOException unreadable) {
            Switchboard.suppressed("reading the peer of a connect under way", unreadable);
        }
        return peers;
    }

    private void configureListener(FileDescriptor descriptor, InetSocketAddress local, List<String> report) {
        Settings settings = rescue.settingsFor(null, local.getPort());
        if (settings == null) {
            return;
        }
        rescue.configureListener(descriptor, settings);
        String listener = "listening " + DeadPeerReport.address(local) + ": " + settings;
        if (!attached) {
            report.add(listener);
        } else if (AgentLog.isDebugEnabled()) {
            AgentLog.debug("a socket that listened before the attach, for the connections it accepts: " + listener);
        }
    }

    private void lookAgainLater() {
        Thread thread = new Thread(this::lookAgain, "keepalive-agent-start-up-look-again");
        thread.setDaemon(true);
        thread.start();
    }

    private void lookAgain() {
        try {
            for (long pause : LOOKS_AGAIN_AFTER_MILLIS) {
                Thread.sleep(pause);
                reportLater(look(false));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            Switchboard.suppressed("looking again for " + what(), t);
        } finally {
            rescue.windowClosed();
        }
    }

    private void reportLater(List<String> found) {
        if (!found.isEmpty()) {
            AgentLog.info((attached ? "after the attach, " : "after start-up, ") + found.size()
                    + " more connection(s) that no hook saw (a connect already under way when the hooks went"
                    + " live) were found and configured: " + String.join("; ", found));
        }
    }
}
