package dev.keepaliveagent.rescue;

import dev.keepaliveagent.jdk.DescribedSocket;
import dev.keepaliveagent.proc.ProcessSockets;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the agent can know afterwards of the TCP connections no hook saw being made or accepted: those
 * {@link StartUpWindow} found, by descriptor number, until the app closes them; and, while the window
 * is open, the ports of the listening sockets it found, which tell an accepted connection from a made
 * one. A hook that meets a descriptor the registry does not know asks here, on its rare paths only (an
 * option change, a failure, a close): a look-up by number is a map's. While the window is open, a
 * connect begun before the hooks were live may still return a connection no look has found yet,
 * which a hook then tells from its descriptor ({@link DescribedSocket}). Once the window has closed,
 * none can turn up (accepts are caught after their blocking call).
 */
final class UnseenConnections {

    private final Map<Integer, Rescued> byNumber = new ConcurrentHashMap<>();
    private final Set<Integer> listeningPorts = ConcurrentHashMap.newKeySet();
    private volatile boolean windowOpen = true;
    private final boolean attached;

    UnseenConnections(boolean attached) {
        this.attached = attached;
    }

    /** After an attach: what it finds was open before it, and is counted as rescued. */
    boolean attached() {
        return attached;
    }

    /** The kind a connection no hook saw is counted and reported under. */
    String kind(boolean accepted) {
        return attached ? StartUpWindow.RESCUED_AT_ATTACH : accepted ? "accept" : "connect";
    }

    void found(Rescued connection) {
        byNumber.put(connection.fd, connection);
    }

    void listening(int port) {
        listeningPorts.add(port);
    }

    /**
     * The connection found under descriptor {@code number}, if the app's descriptor of that number
     * still is that socket (checked by its inode); it is handed over once, and forgotten here.
     */
    Rescued claim(int number) {
        Rescued connection = byNumber.get(number);
        if (connection == null) {
            return null;
        }
        if (!connection.inode.equals(ProcessSockets.inodeOf(Paths.get("/proc/self/fd", String.valueOf(number))))) {
            byNumber.remove(number, connection); // closed out of the hooks' sight; the number serves another file
            return null;
        }
        return byNumber.remove(number, connection) ? connection : null;
    }

    /** The app closes descriptor {@code number}: what was found under it, if anything, is forgotten. */
    Rescued forget(int number) {
        return byNumber.remove(number);
    }

    /** Whether a descriptor the registry does not know may be one found here: the window is open, or something it found is unclaimed. */
    boolean mayKnow() {
        return windowOpen || !byNumber.isEmpty();
    }

    /** Whether a connection no hook saw can still turn up: the start-up window is open. */
    boolean isWindowOpen() {
        return windowOpen;
    }

    /** The window's last look is done: from now on only what it found is known here. */
    void windowClosed() {
        windowOpen = false;
        listeningPorts.clear();
    }

    /** {@code localPort}, if a listening socket found had that port (the connection was accepted); else -1. */
    int listenPortOf(int localPort) {
        return listeningPorts.contains(localPort) ? localPort : -1;
    }
}
