package dev.keepaliveagent.tune;

import dev.keepaliveagent.boot.Switchboard;
import dev.keepaliveagent.diagnose.DeadPeerReport;
import dev.keepaliveagent.proc.ProcessSockets;
import java.io.FileDescriptor;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Connections that were open before the agent was attached: found in the kernel's tables of this
 * process, configured through their raw descriptor numbers, and watched, since a thread already
 * blocked in one of them runs code the agent never wove and so never reports its failure.
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

    /** Configures every established TCP connection of this process; returns what was done with each. */
    public static List<String> rescueOpenConnections(SocketTuner tuner) {
        List<String> report = new ArrayList<>();
        try {
            Path self = Paths.get("/proc/self");
            Map<String, Integer> fdByInode = ProcessSockets.socketDescriptors(self);
            List<Rescued> rescued = new ArrayList<>();
            for (ProcessSockets.Row row : ProcessSockets.established(self, fdByInode)) {
                int number = fdByInode.get(row.inode);
                FileDescriptor descriptor = descriptorOf(number);
                // Whether the app made or accepted it is not known here, so rules see it as made.
                String outcome = tuner.rescue(descriptor, row.remote, "rescued at attach", tuner.settingsFor(row.remote, -1));
                report.add(DeadPeerReport.address(row.local) + " -> " + DeadPeerReport.address(row.remote) + ": " + outcome);
                rescued.add(new Rescued(number, row.inode, descriptor, row.local, row.remote));
            }
            if (!rescued.isEmpty()) {
                tuner.watch(rescued);
            }
        } catch (Throwable t) {
            Switchboard.suppressed("looking at the connections already open", t);
            report.add("could not look at the connections already open: " + t);
        }
        return report;
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
            setter = MethodHandles.privateLookupIn(FileDescriptor.class, MethodHandles.lookup())
                    .findSetter(FileDescriptor.class, "fd", int.class);
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
            getter = MethodHandles.privateLookupIn(FileDescriptor.class, MethodHandles.lookup())
                    .findGetter(FileDescriptor.class, "fd", int.class);
            fdNumber = getter;
        }
        return (int) getter.invokeExact(fd);
    }
}
