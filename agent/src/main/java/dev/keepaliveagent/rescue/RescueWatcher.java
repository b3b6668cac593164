package dev.keepaliveagent.rescue;

import dev.keepaliveagent.boot.Switchboard;
import dev.keepaliveagent.diagnose.DeadPeerReport;
import dev.keepaliveagent.diagnose.TcpState;
import dev.keepaliveagent.jdk.JdkSockets;
import dev.keepaliveagent.lifecycle.Connection;
import dev.keepaliveagent.lifecycle.Lifecycle;
import dev.keepaliveagent.tune.SocketRegistry;
import dev.keepaliveagent.log.AgentLog;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Watches the established connections opened before the hooks were live (rescued at an attach, or
 * opened while the agent started), from a thread of the agent's own: a thread blocked in one of them
 * since then runs code the agent never wove, so the kernel is asked instead, once a second (with more
 * than a thousand watched, as many milliseconds apart as there are connections, up to 10 s), when the
 * app closes one, and once more at exit. Keyed by descriptor number: a close costs a map look-up, and
 * for a watched connection one system call, the kernel's last word on it before the descriptor goes
 * (its death would go unreported otherwise: the app closes a connection an instant after its read
 * failed, long before the next look). A death found at a close is reported on the closing thread, as
 * a hooked read's failure is on the reading one: the line then comes before whatever the app writes
 * of the failure, never inside it. A look costs one system call per connection.
 *
 * <p>Only a death is reported: the kernel closed the connection with probes or data unanswered. An
 * end in order (the peer's FIN, then the app's close, as sidecars do all day) is not one.
 */
final class RescueWatcher implements Runnable {

    /** A look costs one system call per connection: with many watched, looks come less often, up to 10 s apart. */
    private static final long LEAST_PAUSE_MILLIS = 1000;
    private static final long MOST_PAUSE_MILLIS = 10_000;

    private final Map<Integer, Watched> watched = new ConcurrentHashMap<>();
    private final SocketRegistry registry;
    private final Lifecycle lifecycle;
    private boolean running;
    private boolean lastLookAtExit;

    /** One watched connection, and the kernel's view of it at the last look while it was alive. */
    private static final class Watched {
        final Rescued connection;
        volatile TcpState lastAlive;
        volatile boolean seenClosed;

        Watched(Rescued connection) {
            this.connection = connection;
        }
    }

    RescueWatcher(SocketRegistry registry, Lifecycle lifecycle) {
        this.registry = registry;
        this.lifecycle = lifecycle;
    }

    boolean isWatching() {
        return !watched.isEmpty();
    }

    /** Watches {@code connection} from now on; starts the watching thread where none runs. */
    void watch(Rescued connection) {
        watched.put(connection.fd, new Watched(connection));
        startIfIdle();
    }

    private synchronized void startIfIdle() {
        if (!lastLookAtExit) {
            lastLookAtExit = true;
            // An app often exits right after the failure it was stuck in; one last look then.
            try {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> check(true), "keepalive-agent-rescue-last-look"));
            } catch (IllegalStateException exiting) {
                // the JVM exits already (a look of the start-up window's, on a daemon thread): nothing is left to watch
            }
        }
        if (!running) {
            running = true;
            Thread watching = new Thread(this, "keepalive-agent-rescue-watch");
            watching.setDaemon(true);
            watching.start();
        }
    }

    @Override
    public void run() {
        long nextLook = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pauseFor(watched.size()));
        while (true) {
            long wait = nextLook - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(this, wait);
            }
            if (Thread.interrupted()) {
                return;
            }
            if (System.nanoTime() - nextLook >= 0) {
                check(false);
                nextLook = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pauseFor(watched.size()));
            }
            synchronized (this) {
                if (watched.isEmpty()) {
                    running = false;
                    return;
                }
            }
        }
    }

    /**
     * Milliseconds between looks at {@code connections}: one each a millisecond, so at most a thousand a
     * second, up to 10,000 watched; beyond that every 10 s, so that a death is told within 10 s.
     */
    static long pauseFor(int connections) {
        return Math.min(MOST_PAUSE_MILLIS, Math.max(LEAST_PAUSE_MILLIS, connections));
    }

    /**
     * The app closes descriptor {@code fd}: if it is watched, the kernel's last word on it, while the
     * kernel still has the socket, judged at once.
     */
    void closing(int fd) {
        Watched closing = watched.remove(fd);
        if (closing == null) {
            return;
        }
        try {
            Connection socket = registry.get(closing.connection.descriptor);
            if (socket != null) {
                judge(closing, socket, JdkSockets.tcpState(closing.connection.descriptor), true);
            }
        } catch (IOException gone) {
            // already closed on a path the hooks do not see
        } catch (Throwable t) {
            Switchboard.suppressed("watching a rescued connection", t);
        }
    }

    /**
     * Looks at every watched connection once. Unless {@code now}, a death is reported at the next
     * look: a thread whose read the hooks see reports it first, with the kernel's own word for it.
     */
    private void check(boolean now) {
        for (Iterator<Watched> each = watched.values().iterator(); each.hasNext(); ) {
            Watched connection = each.next();
            if (look(connection, now)) {
                each.remove();
            }
        }
    }

    /** True when the connection needs no more looks. */
    private boolean look(Watched watching, boolean now) {
        try {
            Connection socket = registry.get(watching.connection.descriptor);
            return socket == null || judge(watching, socket, JdkSockets.tcpState(watching.connection.descriptor), now);
        } catch (IOException closedUnseen) {
            return true; // the descriptor is gone: closed on a path the hooks do not see
        } catch (Throwable t) {
            Switchboard.suppressed("watching a rescued connection", t);
            return true;
        }
    }

    /** Reports the connection if the kernel, as {@code kernel} says, killed it; true when it needs no more looks. */
    private boolean judge(Watched watching, Connection socket, TcpState kernel, boolean now) {
        if (!kernel.closed()) {
            watching.lastAlive = kernel;
            return now;
        }
        if (!now && !watching.seenClosed) {
            watching.seenClosed = true;
            return false;
        }
        ended(watching.connection, socket, watching.lastAlive, kernel);
        return true;
    }

    /**
     * Whether a connection the kernel has closed died, rather than ended: probes or data went
     * unanswered, at the last look or at the end, and neither side had sent its FIN before.
     */
    static boolean died(TcpState lastAlive, TcpState closed) {
        if (lastAlive != null && lastAlive.endingInOrder()) {
            return false;
        }
        return lastAlive != null && lastAlive.unanswered() || closed.unanswered();
    }

    private void ended(Rescued connection, Connection socket, TcpState lastAlive, TcpState closed) {
        if (!died(lastAlive, closed)) {
            if (AgentLog.isDebugEnabled() && socket.isConfigured()) {
                AgentLog.debug("the connection with " + DeadPeerReport.peer(connection.remote)
                        + " ended in order (the kernel: " + lastAlive + ", then " + closed + "): not a dead peer");
            }
            return;
        }
        lifecycle.diedUnseen(socket, connection.local, lastAlive, closed);
    }
}
