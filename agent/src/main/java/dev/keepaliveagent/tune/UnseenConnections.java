package dev.keepaliveagent.tune;

import dev.keepaliveagent.diagnose.TcpState;
import dev.keepaliveagent.proc.ProcessSockets;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the agent can know afterwards of the TCP connections no hook saw being made or accepted: those
 * {@link StartUpWindow} found by descriptor number, and the ports of the listening sockets it found, on
 * which an accept that began before the hooks were live may return a connection no hook sees, at any
 * time. A hook that meets a descriptor the registry does not know asks here, on its rare paths only
 * (an option change, a failure, a close). A look-up by number is a map's; identifying a socket from its
 * descriptor costs a system call or three, and is tried only while such a listening socket exists.
 */
final class UnseenConnections {

    private final Map<Integer, Rescuer.Rescued> byNumber = new ConcurrentHashMap<>();
    private final Set<Integer> listeningPorts = ConcurrentHashMap.newKeySet();
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

    /** A connection told by its descriptor alone: its peer, and the port it was accepted on (-1: made). */
    static final class Identified {
        final InetSocketAddress remote;
        final int listenPort;

        Identified(InetSocketAddress remote, int listenPort) {
            this.remote = remote;
            this.listenPort = listenPort;
        }
    }

    void found(Rescuer.Rescued connection) {
        byNumber.put(connection.fd, connection);
    }

    void listening(int port) {
        listeningPorts.add(port);
    }

    /**
     * The connection found under descriptor {@code number}, if the app's descriptor of that number
     * still is that socket (checked by its inode); it is handed over once, and forgotten here.
     */
    Rescuer.Rescued claim(int number) {
        Rescuer.Rescued connection = byNumber.get(number);
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
    Rescuer.Rescued forget(int number) {
        return byNumber.remove(number);
    }

    /** Whether a connection no hook saw can still turn up: some listening socket predates the hooks. */
    boolean acceptsMayBeUnseen() {
        return !listeningPorts.isEmpty();
    }

    /** {@code localPort}, if a listening socket found had that port (the connection was accepted); else -1. */
    int listenPortOf(int localPort) {
        return listeningPorts.contains(localPort) ? localPort : -1;
    }

    /**
     * An established TCP connection over IPv4 or IPv6 behind {@code fd}, as the kernel tells it now;
     * null for anything else (another family, type or protocol, not connected yet, closed): a few
     * system calls on the descriptor itself, no table read.
     */
    Identified identifyAlive(FileDescriptor fd) throws Throwable {
        if (!JdkSockets.Internals.OPTION_WRITER.isTcpSocket(fd)) {
            return null;
        }
        TcpState kernel;
        try {
            kernel = JdkSockets.Internals.OPTION_WRITER.tcpState(fd);
        } catch (IOException closed) {
            return null;
        }
        if (!kernel.established()) {
            return null;
        }
        InetSocketAddress local = JdkSockets.Internals.SOCKET_ADDRESSES.local(fd);
        InetSocketAddress remote = JdkSockets.Internals.SOCKET_ADDRESSES.remote(fd);
        return remote == null || local == null ? null : new Identified(remote, listenPortOf(local.getPort()));
    }
}
