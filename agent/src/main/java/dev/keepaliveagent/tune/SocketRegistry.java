package dev.keepaliveagent.tune;

import java.io.FileDescriptor;
import dev.keepaliveagent.boot.Switchboard;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The sockets the agent knows, by identity of their {@code FileDescriptor} object (it does not
 * override equals). An entry goes when the socket is closed; held weakly besides, so that a socket
 * closed on a path the agent does not see leaves nothing behind once collected.
 */
final class SocketRegistry {

    private final Map<FileDescriptor, ManagedSocket> sockets = Collections.synchronizedMap(new WeakHashMap<>());

    ManagedSocket get(FileDescriptor fd) {
        return sockets.get(fd);
    }

    ManagedSocket getOrCreate(FileDescriptor fd) {
        return sockets.computeIfAbsent(fd, key -> new ManagedSocket());
    }

    /** The same socket under another descriptor object: the app's, of a connection the agent found by number. */
    void put(FileDescriptor fd, ManagedSocket socket) {
        sockets.put(fd, socket);
    }

    /** The descriptor numbers of the sockets configured, or left alone by a rule. */
    Set<Integer> handledNumbers() {
        Set<Integer> numbers = new HashSet<>();
        synchronized (sockets) {
            for (Map.Entry<FileDescriptor, ManagedSocket> socket : sockets.entrySet()) {
                if (socket.getValue().isHandled()) {
                    try {
                        numbers.add(Rescuer.numberOf(socket.getKey()));
                    } catch (Throwable t) {
                        Switchboard.suppressed("reading a descriptor's number", t);
                    }
                }
            }
        }
        return numbers;
    }

    void remove(FileDescriptor fd) {
        sockets.remove(fd);
    }

    int size() {
        return sockets.size();
    }
}
