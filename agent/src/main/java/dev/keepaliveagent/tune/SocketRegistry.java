package dev.keepaliveagent.tune;

import dev.keepaliveagent.boot.Switchboard;
import dev.keepaliveagent.diagnose.DeadPeerReport;
import dev.keepaliveagent.jdk.FileDescriptors;
import dev.keepaliveagent.lifecycle.Connection;
import java.io.FileDescriptor;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sockets the agent knows, by identity of their {@code FileDescriptor} object (it does not
 * override equals). An entry goes when the socket is closed; held weakly besides, so that a socket
 * closed on a path the agent does not see leaves nothing behind once collected. No lock: the app's
 * threads pass here on every connect, accept, close and option change.
 *
 * <p>While the start-up window is open, the entries are also known by descriptor number: the window's
 * look reaches a socket through a descriptor object of its own, made from the number, and a hook
 * through the app's, and both must find the one entry, whoever came first, so that the socket is
 * configured once, keeps what the agent set, and dies once.
 */
public final class SocketRegistry {

    private final WeakIdentityMap<FileDescriptor, Connection> sockets = new WeakIdentityMap<>();
    /** Null outside the window. */
    private volatile ConcurrentHashMap<Integer, Connection> byNumber;

    /** From now until {@link #windowClosed}, entries are known by number too. */
    public void windowOpened() {
        byNumber = new ConcurrentHashMap<>();
    }

    public void windowClosed() {
        byNumber = null;
    }

    /**
     * The names the app's open connections were made with, by their peer's address ({@code 10.0.0.7:5432}),
     * at most {@code max}: for {@code doctor}, which sees addresses alone. A name that is not a host name's
     * letters is left out: it is text of the app's, shown to another process.
     */
    public java.util.Map<String, String> hostNames(int max) {
        java.util.Map<String, String> names = new java.util.TreeMap<>();
        sockets.forEachValue(socket -> {
            java.net.InetSocketAddress remote = socket.remote();
            String name = DeadPeerReport.hostName(remote);
            if (name != null && names.size() < max && name.matches("[A-Za-z0-9._-]{1,253}")) {
                names.put(DeadPeerReport.address(remote), name);
            }
        });
        return names;
    }

    public Connection get(FileDescriptor fd) {
        return sockets.get(fd);
    }

    public Connection getOrCreate(FileDescriptor fd) {
        Connection socket = sockets.get(fd);
        if (socket != null) {
            return socket;
        }
        ConcurrentHashMap<Integer, Connection> numbers = byNumber;
        int number = numbers == null ? -1 : numberOf(fd);
        if (number < 0) {
            return sockets.putIfAbsent(fd, Connection::new);
        }
        // The same number, through another descriptor object, at the same moment: one entry
        return sockets.putIfAbsent(fd, numbers.computeIfAbsent(number, any -> new Connection()));
    }

    /** While the window is open: the entry of the socket with descriptor {@code number}, whoever made it. */
    public Connection numbered(int number) {
        ConcurrentHashMap<Integer, Connection> numbers = byNumber;
        return numbers == null ? null : numbers.get(number);
    }

    /** The same socket under another descriptor object: the app's, of a connection the agent found by number. */
    public void put(FileDescriptor fd, Connection socket) {
        sockets.putIfAbsent(fd, socket);
    }

    public void remove(FileDescriptor fd) {
        Connection removed = sockets.remove(fd);
        ConcurrentHashMap<Integer, Connection> numbers = byNumber;
        if (removed != null && numbers != null) {
            numbers.remove(numberOf(fd), removed); // its number may serve another socket next
        }
    }

    int size() {
        return sockets.size();
    }

    private static int numberOf(FileDescriptor fd) {
        try {
            return FileDescriptors.numberOf(fd);
        } catch (Throwable t) {
            Switchboard.suppressed("reading a descriptor's number", t);
            return -1;
        }
    }
}
