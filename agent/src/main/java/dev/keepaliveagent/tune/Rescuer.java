package dev.keepaliveagent.tune;

import dev.keepaliveagent.diagnose.DeadPeerReport;
import dev.keepaliveagent.log.AgentLog;
import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
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

    /** Configures every established TCP connection of this process; returns them. */
    public static List<String> rescueOpenConnections(SocketTuner tuner) {
        List<String> report = new ArrayList<>();
        try {
            Map<String, Integer> fdByInode = socketDescriptors();
            MethodHandle setFd = MethodHandles.privateLookupIn(FileDescriptor.class, MethodHandles.lookup())
                    .findSetter(FileDescriptor.class, "fd", int.class);
            List<Rescued> rescued = new ArrayList<>();
            for (String table : new String[] {"/proc/self/net/tcp", "/proc/self/net/tcp6"}) {
                Path path = Paths.get(table);
                if (!Files.exists(path)) {
                    continue;
                }
                for (String line : Files.readAllLines(path)) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length < 10 || f[0].equals("sl") || !f[3].equals("01") || !fdByInode.containsKey(f[9])) {
                        continue;
                    }
                    int number = fdByInode.get(f[9]);
                    // Ours, not the app's: never closed by us, and with no cleaner that could close it.
                    FileDescriptor descriptor = new FileDescriptor();
                    setFd.invokeExact(descriptor, number);
                    InetSocketAddress local = address(f[1]);
                    InetSocketAddress remote = address(f[2]);
                    String outcome = tuner.rescue(descriptor, local, remote);
                    report.add(DeadPeerReport.address(local) + " -> " + DeadPeerReport.address(remote) + ": " + outcome);
                    rescued.add(new Rescued(number, f[9], descriptor, local, remote));
                }
            }
            if (!rescued.isEmpty()) {
                tuner.watch(rescued);
            }
        } catch (Throwable t) {
            report.add("could not look at the connections already open: " + t);
        }
        return report;
    }

    private static volatile MethodHandle fdNumber;

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

    /** inode -> descriptor number, for this process's sockets. */
    static Map<String, Integer> socketDescriptors() throws IOException {
        Map<String, Integer> byInode = new HashMap<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Paths.get("/proc/self/fd"))) {
            for (Path fd : fds) {
                String inode = inodeOf(fd);
                if (inode != null) {
                    byInode.put(inode, Integer.parseInt(fd.getFileName().toString()));
                }
            }
        }
        return byInode;
    }

    /** The socket inode behind a /proc/self/fd entry, or null. */
    static String inodeOf(Path fd) {
        try {
            String target = Files.readSymbolicLink(fd).toString();
            return target.startsWith("socket:[") ? target.substring(8, target.length() - 1) : null;
        } catch (IOException | RuntimeException gone) {
            return null;
        }
    }

    /** /proc/net/tcp's "0100007F:1F90" (IPv4, or 32 hex digits of IPv6, in host byte order) as an address. */
    static InetSocketAddress address(String hex) throws IOException {
        String ip = hex.substring(0, hex.indexOf(':'));
        int port = Integer.parseInt(hex.substring(hex.indexOf(':') + 1), 16);
        byte[] bytes = new byte[ip.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int b = 0; b < 4; b++) {
                // each 32-bit word is little-endian (x86, arm64)
                int at = word * 8 + (3 - b) * 2;
                bytes[word * 4 + b] = (byte) Integer.parseInt(ip.substring(at, at + 2), 16);
            }
        }
        return new InetSocketAddress(InetAddress.getByAddress(bytes), port);
    }
}
