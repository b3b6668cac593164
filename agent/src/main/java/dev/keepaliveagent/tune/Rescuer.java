package dev.keepaliveagent.tune;

import dev.keepaliveagent.jdk.PrivateMembers;
import java.io.FileDescriptor;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.net.InetSocketAddress;

/**
 * Connections opened before the hooks were live (after an attach, or while the agent started), as
 * {@link StartUpWindow} finds them among this process's descriptors: reached through their raw
 * descriptor numbers, and watched, since a thread already blocked in one of them runs code the agent
 * never wove and so never reports its failure.
 */
public final class Rescuer {

    private Rescuer() {
    }

    /** One rescued connection: the descriptor number the app uses, and the socket's inode. */
    static final class Rescued {
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

    private static volatile MethodHandle fdNumber;
    private static volatile MethodHandle fdSetter;

    /**
     * A descriptor object of the agent's own for the app's descriptor {@code number}: never closed
     * by the agent, and with no cleaner that could close it (java.io is opened to the agent).
     */
    static FileDescriptor descriptorOf(int number) throws Throwable {
        MethodHandle setter = fdSetter;
        if (setter == null) {
            setter = PrivateMembers.setter(MethodHandles.lookup(), FileDescriptor.class, "fd", int.class);
            fdSetter = setter;
        }
        FileDescriptor descriptor = new FileDescriptor();
        setter.invokeExact(descriptor, number);
        return descriptor;
    }

    /** The descriptor number inside a {@code FileDescriptor} (java.io is opened to the agent). */
    static int numberOf(FileDescriptor fd) throws Throwable {
        MethodHandle getter = fdNumber;
        if (getter == null) {
            getter = PrivateMembers.getter(MethodHandles.lookup(), FileDescriptor.class, "fd", int.class);
            fdNumber = getter;
        }
        return (int) getter.invokeExact(fd);
    }
}
