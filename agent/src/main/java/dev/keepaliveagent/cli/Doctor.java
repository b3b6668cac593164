package dev.keepaliveagent.cli;

import dev.keepaliveagent.config.AgentConfig;
import dev.keepaliveagent.config.KeepaliveSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What an operator needs before and after changing anything: the kernel's keepalive settings and
 * what they mean in time, the same for the agent's arguments, and a JVM's connections as the kernel
 * sees them.
 */
final class Doctor {

    private static final Path SYSCTL = Paths.get("/proc/sys/net/ipv4");

    private final PrintStream out;

    Doctor(PrintStream out) {
        this.out = out;
    }

    /** False if the process could not be inspected. */
    boolean report(AgentConfig config, boolean argumentsGiven, Long pid) {
        kernel();
        agent(config, argumentsGiven);
        return pid == null || listConnections(pid);
    }

    private void kernel() {
        long time = sysctl("tcp_keepalive_time");
        long intvl = sysctl("tcp_keepalive_intvl");
        long probes = sysctl("tcp_keepalive_probes");
        long retries2 = sysctl("tcp_retries2");
        out.println("kernel (/proc/sys/net/ipv4), for sockets that turn keepalive on without their own values:");
        out.println("  tcp_keepalive_time=" + time + " tcp_keepalive_intvl=" + intvl + " tcp_keepalive_probes=" + probes
                + " tcp_retries2=" + retries2);
        if (time >= 0 && intvl >= 0 && probes >= 0) {
            out.println("  an idle dead peer is found after " + time + " + " + intvl + " x " + probes + " = "
                    + (time + intvl * probes) + " s (" + human(time + intvl * probes) + "), if the app turned keepalive on;"
                    + " never, if it did not");
        }
        if (retries2 >= 0) {
            out.println("  with data in flight, after about " + Math.round(retransmissionSeconds(retries2)) + " s of"
                    + " retransmissions (tcp_retries2=" + retries2 + "), whatever keepalive says");
        }
    }

    private void agent(AgentConfig config, boolean argumentsGiven) {
        KeepaliveSettings settings = config.settings();
        out.println("keepalive-agent " + (argumentsGiven ? "with these arguments" : "with its defaults") + ": " + config);
        out.println("  an idle dead peer is found within " + settings.deadPeerBoundSeconds() + " s ("
                + human(settings.deadPeerBoundSeconds()) + ")"
                + (settings.userTimeoutMillis() == 0 ? "; with data in flight, as the kernel says above"
                        : "; with data in flight within " + settings.userTimeoutMillis() / 1000.0 + " s (TCP_USER_TIMEOUT)"));
    }

    /** A JVM's established TCP connections, each with its keepalive timer or the lack of one; false if unreadable. */
    boolean listConnections(long pid) {
        Path process = Paths.get("/proc", String.valueOf(pid));
        if (!Files.isDirectory(process)) {
            out.println("process " + pid + ": no such process");
            return false;
        }
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(process.resolve("fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException gone) {
                    // closed meanwhile
                }
            }
        } catch (IOException | SecurityException e) {
            out.println("process " + pid + ": its sockets cannot be read (" + e + "); run doctor as the same user or root");
            return false;
        }
        String commandLine = commandLine(process);
        out.println("process " + pid + (commandLine.contains("keepalive-agent") ? " (runs keepalive-agent)" : "")
                + ": TCP connections as its kernel sees them");
        List<String> lines = new ArrayList<>();
        for (String table : new String[] {"tcp", "tcp6"}) {
            try {
                for (String line : Files.readAllLines(process.resolve("net").resolve(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length < 10 || f[0].equals("sl") || !f[3].equals("01") || !inodes.contains(f[9])) {
                        continue;
                    }
                    lines.add("  " + address(f[1]) + " -> " + address(f[2]) + "  " + timer(f[5], f[6]));
                }
            } catch (IOException missing) {
                // no IPv6 table, say
            }
        }
        if (lines.isEmpty()) {
            out.println("  (no established TCP connection)");
        }
        lines.forEach(out::println);
        return true;
    }

    private static String timer(String timer, String retransmits) {
        String[] parts = timer.split(":");
        long when = Long.parseLong(parts[1], 16);
        switch (parts[0]) {
            case "02":
                return "keepalive timer: next probe in " + when / 100.0 + " s";
            case "01":
                return "retransmitting (data in flight), " + Integer.parseInt(retransmits, 16) + " retransmissions so far";
            case "04":
                return "zero-window probes";
            default:
                return "no keepalive timer: a dead peer would go unnoticed while the connection is idle";
        }
    }

    /** "10.0.4.7:40312" from /proc/net/tcp's "0704000A:9D78", IPv4-mapped IPv6 shown as IPv4. */
    static String address(String hex) {
        String ip = hex.substring(0, hex.indexOf(':'));
        int port = Integer.parseInt(hex.substring(hex.indexOf(':') + 1), 16);
        if (ip.length() == 32 && ip.startsWith("0000000000000000FFFF0000")) {
            ip = ip.substring(24);
        }
        if (ip.length() == 8) {
            long value = Long.parseLong(ip, 16); // little-endian on x86 and arm64
            return (value & 0xff) + "." + (value >> 8 & 0xff) + "." + (value >> 16 & 0xff) + "." + (value >> 24 & 0xff) + ":" + port;
        }
        StringBuilder v6 = new StringBuilder("[");
        for (int word = 0; word < 4; word++) {
            String w = ip.substring(word * 8, word * 8 + 8);
            // each 32-bit word is in host (little-endian) order
            String bytes = w.substring(6, 8) + w.substring(4, 6) + w.substring(2, 4) + w.substring(0, 2);
            v6.append(word == 0 ? "" : ":").append(bytes, 0, 4).append(':').append(bytes, 4, 8);
        }
        return v6.append("]:").append(port).toString();
    }

    private static String commandLine(Path process) {
        try {
            return new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    /** Linux's retransmission timeout starts at 200 ms and doubles up to 120 s; tcp_retries2 retransmissions, then one more wait. */
    static double retransmissionSeconds(long retries2) {
        double total = 0;
        double rto = 0.2;
        for (long i = 0; i <= retries2; i++) {
            total += rto;
            rto = Math.min(rto * 2, 120);
        }
        return total;
    }

    private static long sysctl(String name) {
        try {
            // One read with a large buffer: procfs sysctl files answer a read at a non-zero offset with
            // end-of-file, so readAllBytes, which reads a single byte first, would get "7" of "7200".
            return Long.parseLong(Files.readAllLines(SYSCTL.resolve(name), StandardCharsets.US_ASCII).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static String human(long seconds) {
        long h = seconds / 3600;
        long m = seconds / 60 % 60;
        long s = seconds % 60;
        return h > 0 ? h + " h " + m + " min" : m > 0 ? m + " min " + s + " s" : s + " s";
    }
}
