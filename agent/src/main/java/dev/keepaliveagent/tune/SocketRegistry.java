package dev.keepaliveagent.tune;

import java.io.FileDescriptor;
import java.util.Collections;
import java.util.Map;
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

    void remove(FileDescriptor fd) {
        sockets.remove(fd);
    }

    int size() {
        return sockets.size();
    }
}
