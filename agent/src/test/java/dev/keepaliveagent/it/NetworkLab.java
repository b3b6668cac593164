package dev.keepaliveagent.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
    /** The server's name on the client host, from the client namespace's own hosts file: no DNS. */
    static final String SERVER_NAME = "orders-db.internal";

    /** The prefix of every namespace a lab makes: {@code run-tests.sh} sweeps stale ones by it. */
    static final String PREFIX = "ka-it-";

    final String serverNamespace;
    final String clientNamespace;
    private final String serverLink;
    private final String clientLink;
    private final List<String> made = new ArrayList<>();

    private NetworkLab(String id) {
        serverNamespace = PREFIX + "srv-" + id;
        clientNamespace = PREFIX + "cli-" + id;
        serverLink = "kas" + id;
        clientLink = "kac" + id;
    }

    static NetworkLab create() throws IOException, InterruptedException {
        NetworkLab lab = new NetworkLab(uniqueId());
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

    /**
     * Random, so that labs of parallel test classes, of two runs, or of a run in another PID namespace never
     * meet: 9 base-36 characters keep the veth names within the kernel's 15; {@code ip netns add} refuses a
     * name that exists, and such a lab is never taken for this one's.
     */
    private static String uniqueId() {
        long bits = java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 18;
        String id = Long.toString(bits, 36);
        return "000000000".substring(id.length()) + id;
    }

    private String tryToBuild() throws IOException, InterruptedException {
        for (String namespace : new String[] {serverNamespace, clientNamespace}) {
            String problem = run("ip", "netns", "add", namespace);
            if (problem != null) {
                return problem;
            }
            made.add(namespace);
        }
        String problem = nameTheServer();
        return problem != null ? problem : link();
    }

    /** {@code ip netns exec} mounts {@code /etc/netns/NS/hosts} over {@code /etc/hosts} for what it runs. */
    private String nameTheServer() {
        try {
            Files.createDirectories(clientEtc());
            Files.write(clientEtc().resolve("hosts"), ("127.0.0.1 localhost\n::1 localhost\n" + SERVER_IP + " " + SERVER_NAME
                    + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return null;
        } catch (IOException e) {
            return "writing " + clientEtc().resolve("hosts") + ": " + e;
        }
    }

    private Path clientEtc() {
        return Path.of("/etc/netns", clientNamespace);
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

    /**
     * The client's kernel drops every segment from the server's {@code port}, with the link up and the
     * neighbours known: a connect there stays under way (SYN_SENT), retrying, until {@link #passServer}.
     */
    void dropOnClientFromServerPort(int port) throws IOException, InterruptedException {
        String[][] commands = {
            {"nft", "add", "table", "ip", "kadrop"},
            {"nft", "add", "chain", "ip", "kadrop", "input", "{ type filter hook input priority 0 ; }"},
            {"nft", "add", "rule", "ip", "kadrop", "input", "tcp", "sport", String.valueOf(port), "drop"},
        };
        for (String[] command : commands) {
            must(run(plus(onClient(), command).toArray(new String[0])));
        }
    }

    /** What {@link #dropOnClientFromServerPort} dropped reaches the client again. */
    void passServer() throws IOException, InterruptedException {
        must(run(plus(onClient(), "nft", "delete", "table", "ip", "kadrop").toArray(new String[0])));
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
        made.remove(serverNamespace);
        must(run("ip", "netns", "del", serverNamespace));
        must(run("ip", "netns", "add", serverNamespace));
        made.add(serverNamespace);
        must(link());
    }

    /**
     * On the client host, TCP to {@code port} is redirected to the local {@code to}, as a service mesh's
     * sidecar captures an app's connections (nft's REDIRECT; the rules go with the namespace).
     */
    void redirectClientTcp(int port, int to) throws IOException, InterruptedException {
        String[][] commands = {
            {"nft", "add", "table", "ip", "kamesh"},
            {"nft", "add", "chain", "ip", "kamesh", "output", "{ type nat hook output priority -100 ; }"},
            {"nft", "add", "rule", "ip", "kamesh", "output", "tcp", "dport", String.valueOf(port), "redirect", "to",
                ":" + to},
        };
        for (String[] command : commands) {
            String problem = run(plus(onClient(), command).toArray(new String[0]));
            if (problem != null) {
                String why = "nftables cannot redirect here (" + problem + "); the mesh test needs nft (package nftables)";
                if ("true".equals(System.getenv("CI"))) {
                    throw new AssertionError(why + ", and under CI=true it must run");
                }
                Assumptions.abort(why);
            }
        }
    }

    /** Deletes the namespaces this lab made, and only those, with whatever still runs in them. */
    @Override
    public void close() throws IOException, InterruptedException {
        for (String namespace : new ArrayList<>(made)) {
            killProcessesIn(namespace);
            run("ip", "netns", "del", namespace);
            made.remove(namespace);
        }
        Files.deleteIfExists(clientEtc().resolve("hosts"));
        Files.deleteIfExists(clientEtc());
    }

    private static void killProcessesIn(String namespace) throws IOException, InterruptedException {
        for (String pid : Command.run("ip", "netns", "pids", namespace).stdout) {
            if (pid.trim().matches("\\d+")) {
                ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
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
            Command run = Command.run(command);
            return run.exit == 0 ? null : String.join(" ", command) + ": " + (run.out() + run.err()).trim();
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
