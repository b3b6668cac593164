package dev.keepaliveagent.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * Two network namespaces joined by a veth pair, made for one test and deleted afterwards, also on
 * failure: a "server" host and a "client" host whose link can be cut like a cable. Only addresses
 * inside these namespaces are used.
 *
 * <p>Needs root and iproute2. Where namespaces cannot be made the test is skipped with the reason;
 * under CI ({@code CI=true}) it fails instead, since there it must run.
 */
final class NetworkLab implements AutoCloseable {

    static final String SERVER_IP = "10.233.0.1";
    static final String CLIENT_IP = "10.233.0.2";

    private static final AtomicInteger COUNTER = new AtomicInteger();

    final String serverNamespace;
    final String clientNamespace;
    private final String serverLink;
    private final String clientLink;

    private NetworkLab(String id) {
        serverNamespace = "ka-it-srv-" + id;
        clientNamespace = "ka-it-cli-" + id;
        serverLink = "kas" + id;
        clientLink = "kac" + id;
    }

    static NetworkLab create() throws IOException, InterruptedException {
        String id = (ProcessHandle.current().pid() % 100000) + "x" + COUNTER.incrementAndGet();
        NetworkLab lab = new NetworkLab(id);
        String problem = lab.tryToBuild();
        if (problem != null) {
            lab.close();
            String why = "network namespaces cannot be made here (" + problem + "); they need root and iproute2";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(why + ", and under CI=true these tests must run");
            }
            Assumptions.abort(why);
        }
        return lab;
    }

    private String tryToBuild() throws IOException, InterruptedException {
        String problem = run("ip", "netns", "add", serverNamespace);
        if (problem != null) {
            return problem;
        }
        problem = run("ip", "netns", "add", clientNamespace);
        return problem != null ? problem : link();
    }

    /** (Re)creates the veth pair between the namespaces, with the addresses, and brings it up. */
    private String link() throws IOException, InterruptedException {
        String[][] commands = {
            {"ip", "link", "add", serverLink, "netns", serverNamespace, "type", "veth", "peer", "name", clientLink,
                "netns", clientNamespace},
            {"ip", "-n", serverNamespace, "addr", "add", SERVER_IP + "/30", "dev", serverLink},
            {"ip", "-n", clientNamespace, "addr", "add", CLIENT_IP + "/30", "dev", clientLink},
            {"ip", "-n", serverNamespace, "link", "set", serverLink, "up"},
            {"ip", "-n", clientNamespace, "link", "set", clientLink, "up"},
            {"ip", "-n", serverNamespace, "link", "set", "lo", "up"},
            {"ip", "-n", clientNamespace, "link", "set", "lo", "up"},
        };
        for (String[] command : commands) {
            String problem = run(command);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    /** The command prefix that runs a program on the server host. */
    List<String> onServer() {
        return List.of("ip", "netns", "exec", serverNamespace);
    }

    List<String> onClient() {
        return List.of("ip", "netns", "exec", clientNamespace);
    }

    /** The server's end of the cable goes down: no FIN, no reset, the server is simply gone. */
    void cutServerSide() throws IOException, InterruptedException {
        must(run("ip", "-n", serverNamespace, "link", "set", serverLink, "down"));
    }

    /**
     * The server goes silent while every link stays up: its replies to the client are dropped by a
     * blackhole route, as when a peer dies somewhere beyond the client's own network. The client's
     * kernel sees no error of its own, only no answer.
     */
    void silenceServer() throws IOException, InterruptedException {
        must(run("ip", "-n", serverNamespace, "route", "add", "blackhole", CLIENT_IP + "/32"));
    }

    void cutClientSide() throws IOException, InterruptedException {
        must(run("ip", "-n", clientNamespace, "link", "set", clientLink, "down"));
    }

    /**
     * The server host reboots: its processes and its kernel's connections are gone without a word
     * (its namespace is deleted and made anew at the same address), and the link comes back, so
     * the client's next segment is answered with a reset.
     */
    void rebootServer() throws IOException, InterruptedException {
        killProcessesIn(serverNamespace);
        // Deleting the pair first, synchronously: a namespace's devices are otherwise removed later.
        must(run("ip", "-n", serverNamespace, "link", "del", serverLink));
        must(run("ip", "netns", "del", serverNamespace));
        must(run("ip", "netns", "add", serverNamespace));
        must(link());
    }

    @Override
    public void close() throws IOException, InterruptedException {
        for (String namespace : new String[] {serverNamespace, clientNamespace}) {
            killProcessesIn(namespace);
            run("ip", "netns", "del", namespace);
        }
    }

    private static void killProcessesIn(String namespace) throws IOException, InterruptedException {
        Process pids = new ProcessBuilder("ip", "netns", "pids", namespace).redirectErrorStream(true).start();
        String out = new String(pids.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        pids.waitFor(10, TimeUnit.SECONDS);
        for (String pid : out.trim().split("\\s+")) {
            if (pid.matches("\\d+")) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    private static void must(String problem) {
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
    }

    /** Runs a command; null if it succeeded, else what went wrong. */
    private static String run(String... command) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return String.join(" ", command) + " timed out";
            }
            return process.exitValue() == 0 ? null : String.join(" ", command) + ": " + out;
        } catch (IOException e) {
            return String.join(" ", command) + ": " + e.getMessage();
        }
    }

    static List<String> plus(List<String> a, String... more) {
        List<String> all = new ArrayList<>(a);
        all.addAll(List.of(more));
        return all;
    }
}
