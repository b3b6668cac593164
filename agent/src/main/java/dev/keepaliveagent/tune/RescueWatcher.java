package dev.keepaliveagent.tune;

import dev.keepaliveagent.boot.Switchboard;
import dev.keepaliveagent.diagnose.DeadPeerCause;
import dev.keepaliveagent.diagnose.DeadPeerReport;
import dev.keepaliveagent.diagnose.FailureClassifier;
import dev.keepaliveagent.diagnose.TcpState;
import dev.keepaliveagent.log.AgentLog;
import dev.keepaliveagent.observe.Telemetry;
import dev.keepaliveagent.proc.ProcessSockets;

/**
 * Watches the connections opened before the hooks were live (rescued at an attach, or opened while
 * the agent started), from a thread of the agent's own: a thread blocked in one of them since then
 * runs code the agent never wove, so the kernel is asked instead, every 100 ms for the first minute
 * and every second after it, when the app closes one, and once more at exit. Ends when every one of
 * them has died or been closed by the app.
 */
final class RescueWatcher implements Runnable {

    /**
     * A pool opened at start-up may be watched for the app's whole life: after a minute (a read stuck
     * since before the hooks is found dead within its settings' bound, a minute or more) a look a
     * second is enough, and costs a tenth of the system calls.
     */
    private static final long QUICK_LOOKS_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(1);

    private final java.util.List<Rescuer.Rescued> watched;
    private final SocketRegistry registry;
    private final Telemetry telemetry;
    private final java.util.Set<Rescuer.Rescued> seenClosed = new java.util.HashSet<>();
    /** The kernel's view of each at the last look while it was alive: it tells how it died. */
    private final java.util.Map<Rescuer.Rescued, TcpState> lastAlive = new java.util.HashMap<>();

    RescueWatcher(java.util.List<Rescuer.Rescued> rescued, SocketRegistry registry, Telemetry telemetry) {
        this.watched = new java.util.ArrayList<>(rescued);
        this.registry = registry;
        this.telemetry = telemetry;
    }

    @Override
    public void run() {
        long started = System.nanoTime();
        while (check(false)) {
            try {
                Thread.sleep(pauseAfter(System.nanoTime() - started));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Milliseconds to the next look, after watching for {@code watchedNanos}. */
    static long pauseAfter(long watchedNanos) {
        return watchedNanos < QUICK_LOOKS_NANOS ? 100 : 1000;
    }

    /** The app closes descriptor number {@code fd}: a last look, while the kernel still has the socket. */
    synchronized void closing(int fd) {
        for (Rescuer.Rescued connection : watched) {
            if (connection.fd == fd) {
                checkOnce();
                return;
            }
        }
    }

    /** Looks at every watched connection once, reporting each death at once (the app closes, or exits). */
    boolean checkOnce() {
        return check(true);
    }

    /**
     * Looks at every watched connection once; false when none is left to watch. Unless {@code now},
     * a death is reported at the next look: a thread whose read the hooks see reports it first, with
     * the kernel's own word for it.
     */
    private synchronized boolean check(boolean now) {
        java.util.Iterator<Rescuer.Rescued> each = watched.iterator();
        while (each.hasNext()) {
            Rescuer.Rescued connection = each.next();
            try {
                if (!connection.inode.equals(ProcessSockets.inodeOf(java.nio.file.Paths.get("/proc/self/fd",
                        String.valueOf(connection.fd))))) {
                    each.remove(); // the app closed it (and the number may serve another file now)
                    lastAlive.remove(connection);
                    continue;
                }
                TcpState kernel = JdkSockets.Internals.OPTION_WRITER.tcpState(connection.descriptor);
                if (!kernel.closed()) {
                    lastAlive.put(connection, kernel);
                } else if (now || !seenClosed.add(connection)) {
                    each.remove();
                    reportRescuedDeath(connection, lastAlive.remove(connection), kernel);
                }
            } catch (Throwable t) {
                each.remove();
                Switchboard.suppressed("watching a rescued connection", t);
            }
        }
        return !watched.isEmpty();
    }

    private void reportRescuedDeath(Rescuer.Rescued connection, TcpState lastAlive, TcpState closed) {
        ManagedSocket socket = registry.get(connection.descriptor);
        if (socket == null || !socket.markDead()) {
            return;
        }
        DeadPeerCause cause = FailureClassifier.classifyFromOutside(lastAlive, closed, socket.applied().userTimeoutMillis() > 0);
        long lived = System.nanoTime() - socket.configuredAtNanos();
        DeadPeerReport report = new DeadPeerReport(connection.remote, connection.local, socket.how(), cause, lived,
                socket.applied(), null);
        telemetry.deadPeer(report);
        // Directly: an app often exits right after the failure, and this may run in a shutdown hook.
        AgentLog.warnNow(report.line(), report.fields());
    }
}
