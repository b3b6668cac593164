package dev.keepaliveagent.rescue;

import java.io.FileDescriptor;
import java.net.InetSocketAddress;

/**
 * A connection opened before the hooks were live (after an attach, or while the agent started), as
 * {@link StartUpWindow} finds it among this process's descriptors: the descriptor number the app uses,
 * the socket's inode, and a descriptor object of the agent's own for that number.
 */
final class Rescued {
    final int fd;
    final String inode;
    final FileDescriptor descriptor;
    final InetSocketAddress local;
    final InetSocketAddress remote;

    Rescued(int fd, String inode, FileDescriptor descriptor, InetSocketAddress local, InetSocketAddress remote) {
        this.fd = fd;
        this.inode = inode;
        this.descriptor = descriptor;
        this.local = local;
        this.remote = remote;
    }
}
