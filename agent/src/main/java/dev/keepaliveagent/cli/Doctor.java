package dev.keepaliveagent.cli;

import dev.keepaliveagent.config.AgentConfig;
import dev.keepaliveagent.config.KeepaliveOption;
import dev.keepaliveagent.config.Rules;
import dev.keepaliveagent.config.Settings;
import dev.keepaliveagent.diagnose.DeadPeerReport;
import dev.keepaliveagent.diagnose.Mesh;
import dev.keepaliveagent.proc.ProcessSockets;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * What an operator needs before and after changing anything: the kernel's keepalive settings and
 * what they mean in time, the same for the agent's arguments, and a JVM's connections as the kernel
 * sees them.
 */
final class Doctor {

    private static final Path SYSCTL = Paths.get("/proc/sys/net/ipv4");

    private final PrintStream out;
    /** Whether the operator allowed another user's process ({@link ProcessOwner#FLAG}). */
    private final boolean otherUser;

    Doctor(PrintStream out, boolean otherUser) {
        this.out = out;
        this.otherUser = otherUser;
    }

    /** False if the process could not be inspected. */
    boolean report(AgentConfig config, boolean argumentsGiven, Long pid) {
        kernel();
        if (pid == null || argumentsGiven) {
            agent(config, argumentsGiven); // with a PID alone, that JVM's own settings are shown instead
        }
        if (pid == null) {
            jvms();
            return true;
        }
        return listConnections(pid);
    }

    /** With no PID: the JVMs here, for the PID to ask about next. */
    private void jvms() {
        List<String> jvms = JvmProcesses.list();
        out.println("JVMs here that you may look into (java -jar keepalive-agent.jar doctor PID):"
                + (jvms.isEmpty() ? " none (another user's are not shown; run doctor as that user or root)" : ""));
        for (String jvm : jvms) {
            out.println("  " + jvm);
        }
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
        Settings settings = config.settings();
        out.println("keepalive-agent " + (argumentsGiven ? "with these arguments" : "with its defaults")
                + " (what they would make, not what a running JVM has): " + config);
        out.println("  an idle dead peer is found within " + settings.deadPeerBoundSeconds() + " s ("
                + human(settings.deadPeerBoundSeconds()) + ")"
                + (!settings.isSet(KeepaliveOption.UTIMEOUT) ? "; with data in flight, as the kernel says above"
                        : "; with data in flight within " + settings.get(KeepaliveOption.UTIMEOUT) / 1000.0 + " s (TCP_USER_TIMEOUT)"));
        out.println("  Netty's native transports (epoll; io_uring on Netty 4.2; shaded copies too) get the same,"
                + " through Netty's own channel options");
    }

    /** A process's TCP connections, each with its state and keepalive timer or the lack of one; false if unreadable. */
    boolean listConnections(long pid) {
        Path process = Paths.get("/proc", String.valueOf(pid));
        if (!Files.isDirectory(process)) {
            out.println("process " + pid + ": no such process");
            return false;
        }
        String refusal = ProcessOwner.refusal(process, "doctor");
        if (refusal != null && !otherUser) {
            out.println(refusal);
            return false;
        }
        List<ProcessSockets.Row> rows;
        java.util.Set<Integer> listening;
        try {
            List<ProcessSockets.Row> sockets = ProcessSockets.tcpSockets(process, ProcessSockets.socketDescriptors(process));
            rows = connections(sockets);
            listening = listeningPorts(sockets);
        } catch (IOException | SecurityException e) {
            out.println("process " + pid + ": its sockets cannot be read (" + e + "); run doctor as the same user or root");
            return false;
        }
        if (!JvmProcesses.isJvm(process)) {
            out.println("process " + pid + " is not a JVM (no libjvm.so among its mappings): keepalive-agent cannot be loaded"
                    + " into it; its connections have what the program set");
            listRows(pid, "", java.util.Collections.<String>emptyList(), rows, java.util.Collections.<String, String>emptyMap(),
                    row -> NO_TIMER);
            return true;
        }
        AgentStatus published = publishedByTheAgent(pid);
        LaunchedWith launched = LaunchedWith.of(process);
        String off = published == null && launched.namesTheAgent() ? launched.switchedOffBy() : null;
        boolean runsAgent = published != null || (launched.namesTheAgent() && off == null);
        if (published != null) {
            out.println("keepalive-agent " + published.version + " in process " + pid + ", its settings in force: "
                    + published.settings);
            counts(published.counts);
        } else if (off != null) {
            out.println("keepalive-agent in process " + pid + ": named by its -javaagent, but switched off there (enabled=false"
                    + " from " + off + "): its connections have what the app set");
        } else if (runsAgent) {
            out.println("keepalive-agent in process " + pid + ": named by its -javaagent, but the JVM does not answer the"
                    + " attach API (started with -XX:+DisableAttachMechanism?): its settings and counts cannot be read here");
        } else {
            out.println("process " + pid + " does not run keepalive-agent (its command line and JAVA_TOOL_OPTIONS do not"
                    + " name it, and it was not attached): its connections have what the app set; to give them keepalive"
                    + " without a restart: java -jar keepalive-agent.jar attach " + pid + " [AGENT-ARGUMENTS]");
        }
        Mesh mesh = Mesh.of(process);
        if (mesh != Mesh.NONE) {
            out.println("process " + pid + ": " + mesh.advice());
        }
        List<String> notes = new java.util.ArrayList<>();
        for (String transport : nativeTransports(process)) {
            notes.add("Netty's native " + transport + " transport is loaded: its sockets are made in C, out of the JDK's sight; "
                    + (runsAgent ? "keepalive-agent configures them through Netty"
                            : "only keepalive-agent (or the app's own Netty options) gives them keepalive"));
        }
        Rules rules = published == null ? null : published.rules;
        listRows(pid, runsAgent ? " (runs keepalive-agent)" : "", notes, rows,
                published == null ? java.util.Collections.<String, String>emptyMap() : published.hosts,
                row -> rules == null ? NO_TIMER : whyNoTimer(rules, row, listening));
        return true;
    }

    private static final String NO_TIMER = "no keepalive timer: a dead peer would go unnoticed while the connection is idle";

    /** A connection the agent's rules left alone is no surprise: the rule is named, where the addresses tell it. */
    private static String whyNoTimer(Rules rules, ProcessSockets.Row row, java.util.Set<Integer> listening) {
        int listen = listening.contains(row.local.getPort()) ? row.local.getPort() : -1;
        String off = rules.offRuleFor(row.remote.getAddress(), listen > 0 ? -1 : row.remote.getPort(), listen);
        if (off != null) {
            return "no keepalive timer: rule '" + off + "' leaves it as the app made it";
        }
        List<String> byName = rules.offRulesByName();
        return byName.isEmpty() ? NO_TIMER : NO_TIMER + " (unless rule '" + byName.get(0) + "' matched the name it was made"
                + " with: doctor sees addresses only)";
    }

    private static java.util.Set<Integer> listeningPorts(List<ProcessSockets.Row> sockets) {
        java.util.Set<Integer> ports = new java.util.HashSet<>();
        for (ProcessSockets.Row row : sockets) {
            if (row.state == ProcessSockets.LISTEN) {
                ports.add(row.local.getPort());
            }
        }
        return ports;
    }

    /** {@code hosts}: the names the app made connections with, by peer address, as the agent there published them. */
    private void listRows(long pid, String what, List<String> notes, List<ProcessSockets.Row> rows, java.util.Map<String, String> hosts,
                          java.util.function.Function<ProcessSockets.Row, String> whyNoTimer) {
        out.println("process " + pid + what + ": TCP connections as its kernel sees them");
        for (String note : notes) {
            out.println("  " + note);
        }
        if (rows.isEmpty()) {
            out.println("  (no TCP connection)");
        }
        for (ProcessSockets.Row row : rows) {
            String remote = DeadPeerReport.address(row.remote);
            out.println("  " + DeadPeerReport.address(row.local) + " -> " + (hosts.containsKey(remote) ? hosts.get(remote) + "/" : "")
                    + remote + "  "
                    + (row.state == ProcessSockets.ESTABLISHED ? "" : stateInWords(row.state) + "; ") + timer(row, whyNoTimer));
        }
    }

    /** Every connection but a listening socket: one the peer closed and the app never did (CLOSE-WAIT) most of all. */
    private static List<ProcessSockets.Row> connections(List<ProcessSockets.Row> sockets) {
        List<ProcessSockets.Row> connections = new java.util.ArrayList<>();
        for (ProcessSockets.Row row : sockets) {
            if (row.state != ProcessSockets.LISTEN && row.state != CLOSE) {
                connections.add(row);
            }
        }
        return connections;
    }

    private static final int CLOSE = 0x07;

    /** The states of include/net/tcp_states.h, as ss names them, in words an operator acts on. */
    private static String stateInWords(int state) {
        switch (state) {
            case 0x02: return "SYN-SENT: connecting, the peer has not answered yet";
            case 0x03: return "SYN-RECV: being accepted";
            case 0x04: return "FIN-WAIT-1: the app closed it, the peer has not acknowledged";
            case 0x05: return "FIN-WAIT-2: the app closed it, the peer has not closed its end";
            case 0x08: return "CLOSE-WAIT: the peer closed it, the app has not (many of these: the app leaks connections)";
            case 0x09: return "LAST-ACK: both closed, the last acknowledgement is awaited";
            case 0x0B: return "CLOSING: both closing at once";
            default: return "state " + state;
        }
    }

    /** The agent's own counts in that JVM, as it published them; a healthy agent has swallowed no error. */
    private void counts(AgentStatus.Counts counts) {
        if (counts == null) {
            out.println("  that agent published no counts doctor can read (an older version, or a JDK that does not read"
                    + " them live): its MBean has them");
            return;
        }
        out.println("  " + counts.configured
                + " connection(s) configured, " + counts.deadPeers + " dead peer(s) reported, "
                + counts.suppressedErrors + " suppressed error(s)"
                + (counts.suppressedErrors == 0 ? "" : " - the agent failed inside; its log has the first of each kind:"
                        + " please report it"));
        if (counts.refusedInstalls > 0) {
            out.println("  " + counts.refusedInstalls + " install(s) on the agent's switchboard refused: code in that JVM tried"
                    + " to take the agent's place (its log names the class); the agent's own listeners stayed");
        }
        out.println("  the first connection of each kind read back from the kernel: " + (counts.configured == 0
                ? "none yet (no connection configured)"
                : counts.readBackMismatches.isEmpty() ? "as set"
                : "NOT as set for " + String.join(", ", counts.readBackMismatches) + " - those may get no keepalive on"
                        + " this JDK; its log says what differed"));
        out.println("  hooked JDK methods: " + String.join(", ", counts.hooked));
    }

    /** The Netty native transports whose library the process has mapped (Netty unpacks it as libnetty_transport_native_*.so). */
    private static List<String> nativeTransports(Path process) {
        List<String> found = new java.util.ArrayList<>();
        try {
            String maps = new String(Files.readAllBytes(process.resolve("maps")), StandardCharsets.UTF_8);
            for (String transport : new String[] {"epoll", "io_uring"}) {
                if (maps.contains("netty_transport_native_" + transport)) {
                    found.add(transport);
                }
            }
        } catch (IOException | SecurityException e) {
            // unknown: the connection list below still says which sockets have a timer
        }
        return found;
    }

    private static String timer(ProcessSockets.Row row, java.util.function.Function<ProcessSockets.Row, String> whyNoTimer) {
        switch (row.timer) {
            case 2:
                return "keepalive timer: next probe in " + row.whenCentiseconds / 100.0 + " s";
            case 1:
                return "retransmitting (data in flight), " + row.retransmissions + " retransmissions so far";
            case 4:
                return "zero-window probes";
            default:
                return whyNoTimer.apply(row);
        }
    }

    /**
     * What the agent in that JVM published in its agent properties, read through the attach API as text
     * (an agent loaded by an attach leaves no trace in /proc); null if it runs none, or cannot be asked.
     */
    private static AgentStatus publishedByTheAgent(long pid) {
        try (TargetJvm vm = TargetJvm.attach(pid)) {
            return vm.agentStatus();
        } catch (Exception | LinkageError e) {
            return null; // not a JVM, or its attach API closed: the connections below are the kernel's view still
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
