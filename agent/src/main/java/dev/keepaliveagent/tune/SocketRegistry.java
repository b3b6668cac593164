package dev.keepaliveagent.tune;

import dev.keepaliveagent.boot.Switchboard;
import java.io.FileDescriptor;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The sockets the agent knows, by identity of their {@code FileDescriptor} object (it does not
 * override equals). An entry goes when the socket is closed; held weakly besides, so that a socket
 * closed on a path the agent does not see leaves nothing behind once collected.
 *
 * <p>While the start-up window is open, the entries are also known by descriptor number: the window's
 * look reaches a socket through a descriptor object of its own, made from the number, and a hook
 * through the app's, and both must find the one entry, whoever came first, so that the socket is
 * configured once, keeps what the agent set, and dies once.
 */
final class SocketRegistry {

    private final Map<FileDescriptor, ManagedSocket> sockets = Collections.synchronizedMap(new WeakHashMap<>());
    /** Changed and read under {@code sockets}'s lock; null outside the window, where no lock is taken for it. */
    private volatile Map<Integer, ManagedSocket> byNumber;

    /** From now until {@link #windowClosed}, entries are known by number too. */
    void windowOpened() {
        synchronized (sockets) {
            byNumber = new HashMap<>();
        }
    }

    void windowClosed() {
        synchronized (sockets) {
            byNumber = null;
        }
    }

    ManagedSocket get(FileDescriptor fd) {
        return sockets.get(fd);
    }

    ManagedSocket getOrCreate(FileDescriptor fd) {
        ManagedSocket socket = sockets.get(fd);
        if (socket != null) {
            return socket;
        }
        if (byNumber == null) {
            return sockets.computeIfAbsent(fd, key -> new ManagedSocket());
        }
        int number = numberOf(fd);
        synchronized (sockets) {
            socket = sockets.get(fd);
            if (socket == null) {
                socket = byNumber == null || number < 0 ? null : byNumber.get(number);
                if (socket == null) {
                    socket = new ManagedSocket();
                    if (byNumber != null && number >= 0) {
                        byNumber.put(number, socket);
                    }
                }
                sockets.put(fd, socket);
            }
            return socket;
        }
    }

    /** While the window is open: the entry of the socket with descriptor {@code number}, whoever made it. */
    ManagedSocket numbered(int number) {
        if (byNumber == null) {
            return null;
        }
        synchronized (sockets) {
            return byNumber == null ? null : byNumber.get(number);
        }
    }

    /** The same socket under another descriptor object: the app's, of a connection the agent found by number. */
    void put(FileDescriptor fd, ManagedSocket socket) {
        sockets.put(fd, socket);
    }

    void remove(FileDescriptor fd) {
        ManagedSocket removed = sockets.remove(fd);
        if (removed != null && byNumber != null) {
            synchronized (sockets) {
                if (byNumber != null) {
                    byNumber.remove(numberOf(fd), removed); // its number may serve another socket next
                }
            }
        }
    }

    int size() {
        return sockets.size();
    }

    private static int numberOf(FileDescriptor fd) {
        try {
            return Rescuer.numberOf(fd);
        } catch (Throwable t) {
            Switchboard.suppressed("reading a descriptor's number", t);
            return -1;
        }
    }
}
