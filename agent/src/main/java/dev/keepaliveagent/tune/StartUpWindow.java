package dev.keepaliveagent.tune;

import dev.keepaliveagent.boot.Switchboard;
import dev.keepaliveagent.config.KeepaliveSettings;
import dev.keepaliveagent.diagnose.DeadPeerReport;
import dev.keepaliveagent.log.AgentLog;
import dev.keepaliveagent.proc.ProcessSockets;
import java.io.FileDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The TCP sockets the JVM opened before the agent's hooks were live, while the agent started up or,
 * after an attach, since the app began: found in {@code /proc/self} once the hooks are live,
 * configured through their descriptor numbers with the rules of their kind (a connection whose local
 * port this process listens on was accepted, any other was made), and handed to {@link
 * UnseenConnections}, where a hook finds them when the app's own descriptor shows up.
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
     * read the kernel's tables, which hold every connection of the host, once a second for good.
     */
    private static final long[] LOOKS_AGAIN_AFTER_MILLIS = {100, 900, 1000};

    private final SocketTuner tuner;
    private final boolean attached;
    private final UnseenConnections unseen;
    /**
     * Inodes of connections no hook had handled at the last look again: taken at the next one if still
     * unhandled, since a connection a hook is handling this very moment would be configured twice.
     */
    private Set<String> unhandled = Collections.emptySet();

    private StartUpWindow(SocketTuner tuner, boolean attached) {
        this.tuner = tuner;
        this.attached = attached;
        this.unseen = new UnseenConnections(attached);
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
     * entry per socket; after an attach ({@code attached}), one per connection. Looks again later on
     * a thread of its own.
     */
    public static List<String> configureWhatWasOpened(SocketTuner tuner, boolean attached) {
        StartUpWindow window = new StartUpWindow(tuner, attached);
        try {
            tuner.adoptFrom(window.unseen);
            List<String> report = window.look(true);
            window.lookAgainLater();
            return report;
        } catch (Throwable t) {
            tuner.windowClosed();
            Switchboard.suppressed("looking for " + window.what(), t);
            return Collections.singletonList("could not look for " + window.what() + ": " + t);
        }
    }

    private String what() {
        return attached ? "the connections already open" : "connections opened while the agent started";
    }

    private List<String> look(boolean first) throws Throwable {
        Map<String, Integer> fdByInode = ProcessSockets.socketDescriptors(SELF);
        List<ProcessSockets.Row> sockets = ProcessSockets.tcpSockets(SELF, fdByInode);
        if (first) {
            for (ProcessSockets.Row row : sockets) {
                if (row.state == ProcessSockets.LISTEN) {
                    unseen.listening(row.local.getPort());
                }
            }
        }
        List<String> report = new ArrayList<>();
        Set<String> stillUnhandled = new HashSet<>();
        for (ProcessSockets.Row row : sockets) {
            int number = fdByInode.get(row.inode);
            ManagedSocket known = tuner.numbered(number);
            if (known != null && known.isHandled()) {
                continue;
            }
            if (!first && row.state != ProcessSockets.LISTEN && !unhandled.contains(row.inode)) {
                stillUnhandled.add(row.inode);
                continue;
            }
            FileDescriptor descriptor = Rescuer.descriptorOf(number);
            if (row.state == ProcessSockets.LISTEN) {
                if (first) {
                    configureListener(descriptor, row, report);
                }
                continue;
            }
            if (row.state != ProcessSockets.ESTABLISHED && row.state != ProcessSockets.SYN_SENT) {
                continue; // closing, or closed by the peer: nothing left to keep alive
            }
            int listenPort = unseen.listenPortOf(row.local.getPort());
            String outcome = tuner.rescue(descriptor, row.remote, unseen.kind(listenPort > 0),
                    tuner.settingsFor(row.remote, listenPort), attached);
            report.add((attached ? "" : listenPort > 0 ? "accepted " : "made ") + DeadPeerReport.address(row.local) + " -> "
                    + DeadPeerReport.address(row.remote) + ": " + outcome);
            Rescuer.Rescued rescued = new Rescuer.Rescued(number, row.inode, descriptor, row.local, row.remote);
            unseen.found(rescued);
            if (row.state == ProcessSockets.ESTABLISHED) {
                tuner.watch(rescued); // a thread may read it in code woven too late to report its failure
            }
        }
        unhandled = stillUnhandled;
        return report;
    }

    private void configureListener(FileDescriptor descriptor, ProcessSockets.Row row, List<String> report) {
        KeepaliveSettings settings = tuner.settingsFor(null, row.local.getPort());
        if (settings == null) {
            return;
        }
        tuner.configureListener(descriptor, settings);
        String listener = "listening " + DeadPeerReport.address(row.local) + ": " + settings;
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
            tuner.windowClosed();
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
