package dev.keepaliveagent.proc;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A process's TCP connections as its kernel shows them in {@code /proc/PID}: its socket descriptors
 * ({@code fd/}) and the rows of {@code net/tcp} and {@code net/tcp6} (in that process's network
 * namespace). Used by {@code doctor}, and by the start-up window for its descriptors (and for the peer of a
 * connect under way, which no system call on the socket names).
 */
public final class ProcessSockets {

    private ProcessSockets() {
    }

    /** {@code st} of an established connection, of a connect under way, of a listening socket. */
    public static final int ESTABLISHED = 0x01;
    public static final int SYN_SENT = 0x02;
    public static final int LISTEN = 0x0A;

    /** One socket: its state, addresses, the kernel's timer columns, and its inode. */
    public static final class Row {
        public final int state;
        public final InetSocketAddress local;
        public final InetSocketAddress remote;
        /** {@code tr}: 0 none, 1 retransmission, 2 keepalive, 4 zero-window probe. */
        public final int timer;
        /** {@code tm->when}, in hundredths of a second. */
        public final long whenCentiseconds;
        public final int retransmissions;
        public final String inode;

        Row(int state, InetSocketAddress local, InetSocketAddress remote, int timer, long whenCentiseconds,
            int retransmissions, String inode) {
            this.state = state;
            this.local = local;
            this.remote = remote;
            this.timer = timer;
            this.whenCentiseconds = whenCentiseconds;
            this.retransmissions = retransmissions;
            this.inode = inode;
        }
    }

    /** The TCP sockets of {@code process}, in any state, whose inode is in {@code inodes}. */
    public static List<Row> tcpSockets(Path process, Map<String, Integer> inodes) throws IOException {
        List<Row> rows = new ArrayList<>();
        if (inodes.isEmpty()) {
            return rows; // no socket among the process's files: nothing to look up
        }
        for (String table : TABLES) {
            try (BufferedReader lines = open(process, table)) {
                for (String line = lines == null ? null : lines.readLine(); line != null; line = lines.readLine()) {
                    // A host's table may hold tens of thousands of TIME_WAIT rows, none of them a process's
                    // (inode 0): the inode is looked at before anything else of the row is parsed.
                    if (!inodes.containsKey(field(line, 9))) {
                        continue;
                    }
                    String[] f = fields(line);
                    String[] timer = f[5].split(":");
                    rows.add(new Row(Integer.parseInt(f[3], 16), address(f[1]), address(f[2]), Integer.parseInt(timer[0], 16),
                            Long.parseLong(timer[1], 16), Integer.parseInt(f[6], 16), f[9]));
                }
            }
        }
        return rows;
    }

    private static final String[] TABLES = {"tcp", "tcp6"};

    /** The table's lines after its header; null where the table does not exist (no IPv6). */
    private static BufferedReader open(Path process, String table) throws IOException {
        Path path = process.resolve("net").resolve(table);
        if (!Files.exists(path)) {
            return null;
        }
        BufferedReader lines = Files.newBufferedReader(path, java.nio.charset.StandardCharsets.US_ASCII);
        lines.readLine(); // "  sl  local_address rem_address   st …"
        return lines;
    }

    /**
     * The ports TCP sockets listen on in {@code process}'s network namespace, whoever owns them (a sidecar
     * proxy's too): the LISTEN rows of its tcp and tcp6 tables, which the kernel lists first, so that the
     * reading stops at the first other row, however many connections the host has.
     */
    public static java.util.Set<Integer> listeningPorts(Path process) throws IOException {
        java.util.Set<Integer> ports = new java.util.TreeSet<>();
        for (String table : TABLES) {
            try (BufferedReader lines = open(process, table)) {
                for (String line = lines == null ? null : lines.readLine(); line != null; line = lines.readLine()) {
                    String state = field(line, 3);
                    if (state == null || Integer.parseInt(state, 16) != LISTEN) {
                        break;
                    }
                    ports.add(address(field(line, 1)).getPort());
                }
            }
        }
        return ports;
    }

    /** Column {@code n} (from 0) of a row, or null if it has fewer; found without splitting the whole row. */
    static String field(String line, int n) {
        int at = 0;
        int length = line.length();
        for (int column = 0; at < length; column++) {
            while (at < length && line.charAt(at) == ' ') {
                at++;
            }
            int start = at;
            while (at < length && line.charAt(at) != ' ') {
                at++;
            }
            if (at == start) {
                return null;
            }
            if (column == n) {
                return line.substring(start, at);
            }
        }
        return null;
    }

    /**
     * A row's columns, split at runs of spaces: without a regular expression, whose first use costs
     * milliseconds on the agent's start-up, and whose use per row adds up on a host of many connections.
     */
    static String[] fields(String line) {
        List<String> fields = new ArrayList<>(17);
        int at = 0;
        int length = line.length();
        while (at < length) {
            while (at < length && Character.isWhitespace(line.charAt(at))) {
                at++;
            }
            int start = at;
            while (at < length && !Character.isWhitespace(line.charAt(at))) {
                at++;
            }
            if (at > start) {
                fields.add(line.substring(start, at));
            }
        }
        return fields.toArray(new String[0]);
    }

    /** inode -> descriptor number, for the sockets among {@code process}'s open files. */
    public static Map<String, Integer> socketDescriptors(Path process) throws IOException {
        Map<String, Integer> byInode = new HashMap<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(process.resolve("fd"))) {
            for (Path fd : fds) {
                String inode = inodeOf(fd);
                if (inode != null) {
                    byInode.put(inode, Integer.parseInt(fd.getFileName().toString()));
                }
            }
        }
        return byInode;
    }

    /** The socket inode behind a {@code /proc/PID/fd} entry, or null (not a socket, or closed meanwhile). */
    public static String inodeOf(Path fd) {
        try {
            String target = Files.readSymbolicLink(fd).toString();
            return target.startsWith("socket:[") ? target.substring(8, target.length() - 1) : null;
        } catch (IOException | RuntimeException gone) {
            return null;
        }
    }

    /** {@code net/tcp}'s "0100007F:1F90" (IPv4, or 32 hex digits of IPv6; each 32-bit word little-endian) as an address. */
    static InetSocketAddress address(String hex) throws IOException {
        String ip = hex.substring(0, hex.indexOf(':'));
        int port = Integer.parseInt(hex.substring(hex.indexOf(':') + 1), 16);
        byte[] bytes = new byte[ip.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int b = 0; b < 4; b++) {
                int at = word * 8 + (3 - b) * 2;
                bytes[word * 4 + b] = (byte) Integer.parseInt(ip.substring(at, at + 2), 16);
            }
        }
        return new InetSocketAddress(InetAddress.getByAddress(bytes), port);
    }
}
