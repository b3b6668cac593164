package dev.keepaliveagent.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Opens {@code PAIRS} loopback connections at once from the first statement of {@code main} (sixteen
 * threads connect, one accepts), fewer where the descriptor limit does not allow two per pair, and
 * prints {@code OPENED PAIRS}. With {@code connect HOST PORT N} instead, the first statement of {@code main}
 * connects N times to a server in another process (sixteen threads; fewer where the descriptor limit does
 * not allow N), and prints {@code OPENED N}; {@code check} then counts those. With {@code connect-and-read
 * HOST PORT N MS}, N threads (virtual ones where the JDK has them) started from the first statement each
 * connect, the i-th after i × MS milliseconds (so that connects go on while the agent starts), and then
 * block in a read, printing {@code FAILED local=PORT <exception>} when it fails; {@code OPENED N} once
 * all are connected. Then, on standard input:
 * <ul>
 *   <li>{@code check IDLE}: {@code CONFIGURED n} once every connection, made and accepted, has keepalive
 *   on with TCP_KEEPIDLE {@code IDLE} as the kernel answers {@code getsockopt}, or after 10 s, with the
 *   number that had, and the first one that had not;</li>
 *   <li>{@code fin-close K}: for K pairs, the accepting side closes (a FIN), the making side reads to the
 *   end and closes in turn, as a sidecar's client does; prints {@code CLOSED K}.</li>
 * </ul>
 */
public final class EarlyConnectionsScenario {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** Descriptors left for the JVM's own files (jars, the agent's, pipes). */
    private static final long SPARE_DESCRIPTORS = 400;

    public static void main(String[] args) throws Exception {
        if (args[0].equals("connect-and-read")) {
            connectAndRead(InetAddress.getByName(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]));
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return;
        }
        if (args[0].equals("connect")) {
            List<Socket> made = connectAll(InetAddress.getByName(args[1]), Integer.parseInt(args[2]),
                    (int) Math.min(Integer.parseInt(args[3]), maxDescriptors() - SPARE_DESCRIPTORS));
            System.out.println("OPENED " + made.size());
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] command = line.split(" ");
                if (command[0].equals("check")) {
                    check(made, Collections.<Socket>emptyList(), Integer.parseInt(command[1]));
                }
            }
            return;
        }
        int pairs = (int) Math.min(Integer.parseInt(args[0]), (maxDescriptors() - SPARE_DESCRIPTORS) / 2);
        ServerSocket server = new ServerSocket(0, pairs, LOOPBACK);
        List<Socket> accepted = Collections.synchronizedList(new ArrayList<>());
        Thread acceptor = new Thread("acceptor") {
            @Override
            public void run() {
                try {
                    while (accepted.size() < pairs) {
                        accepted.add(server.accept());
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        acceptor.start();
        ExecutorService connectors = Executors.newFixedThreadPool(16);
        List<Future<Socket>> connecting = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            connecting.add(connectors.submit(connect(LOOPBACK, server.getLocalPort())));
        }
        List<Socket> made = new ArrayList<>();
        for (Future<Socket> socket : connecting) {
            made.add(socket.get());
        }
        connectors.shutdown();
        acceptor.join();
        System.out.println("OPENED " + pairs);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] command = line.split(" ");
            if (command[0].equals("check")) {
                check(made, accepted, Integer.parseInt(command[1]));
            } else if (command[0].equals("fin-close")) {
                int count = Integer.parseInt(command[1]);
                java.util.Map<Integer, Socket> madeByPort = new java.util.HashMap<>();
                for (Socket socket : made) {
                    madeByPort.put(socket.getLocalPort(), socket);
                }
                for (int i = 0; i < count; i++) {
                    Socket peer = madeByPort.get(accepted.get(i).getPort());
                    accepted.get(i).close();
                    int end = peer.getInputStream().read();
                    if (end != -1) {
                        throw new IllegalStateException("read " + end + " instead of the end");
                    }
                    peer.close();
                }
                System.out.println("CLOSED " + count);
            }
        }
    }

    private static void connectAndRead(InetAddress host, int port, int count, int staggerMillis) throws Exception {
        java.util.concurrent.CountDownLatch connected = new java.util.concurrent.CountDownLatch(count);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long at = start + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos((long) i * staggerMillis);
            Runnable reader = () -> {
                try {
                    long wait = at - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                } catch (InterruptedException e) {
                    return;
                }
                try (Socket socket = new Socket(host, port)) {
                    connected.countDown();
                    try {
                        System.out.println("READ local=" + socket.getLocalPort() + " " + socket.getInputStream().read());
                    } catch (IOException e) {
                        System.out.println("FAILED local=" + socket.getLocalPort() + " " + e);
                    }
                } catch (IOException e) {
                    System.out.println("CONNECT FAILED " + e);
                }
            };
            startThread(reader);
        }
        connected.await();
        System.out.println("OPENED " + count);
    }

    /** A virtual thread where the JDK has them (21+), else a platform one. */
    private static void startThread(Runnable task) throws Exception {
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class).invoke(builder, task);
        } catch (NoSuchMethodException platformOnly) {
            Thread thread = new Thread(task);
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Not a lambda: the first one spins classes, which on a cold JDK 8 would delay the first connect past the hooks. */
    private static java.util.concurrent.Callable<Socket> connect(InetAddress host, int port) {
        return new java.util.concurrent.Callable<Socket>() {
            @Override
            public Socket call() throws IOException {
                return new Socket(host, port);
            }
        };
    }

    private static List<Socket> connectAll(InetAddress host, int port, int count) throws Exception {
        ExecutorService connectors = Executors.newFixedThreadPool(16);
        List<Future<Socket>> connecting = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            connecting.add(connectors.submit(connect(host, port)));
        }
        List<Socket> made = new ArrayList<>();
        for (Future<Socket> socket : connecting) {
            made.add(socket.get());
        }
        connectors.shutdown();
        return made;
    }

    private static void check(List<Socket> made, List<Socket> accepted, int idle) throws Exception {
        List<Socket> all = new ArrayList<>(made);
        all.addAll(accepted);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            int configured = 0;
            String firstNot = null;
            for (Socket socket : all) {
                if (socket.getKeepAlive() && Options.get(socket, Options.IDLE) == idle) {
                    configured++;
                } else if (firstNot == null) {
                    firstNot = socket + " keepalive=" + socket.getKeepAlive() + " idle=" + Options.get(socket, Options.IDLE);
                }
            }
            if (configured == all.size() || System.nanoTime() > deadline) {
                System.out.println("CONFIGURED " + configured + (firstNot == null ? "" : " not: " + firstNot));
                return;
            }
            Thread.sleep(200);
        }
    }

    /**
     * The soft limit on open files, as the kernel tells this process ({@code /proc/self/limits}); 1024 where
     * unreadable. Not through {@code ManagementFactory}: loading it costs JDK 8 a hundred milliseconds and
     * more, which would put main's first connect after the agent's hooks went live, and the window untested.
     */
    private static long maxDescriptors() {
        try (BufferedReader limits = new BufferedReader(new java.io.FileReader("/proc/self/limits"))) {
            for (String line = limits.readLine(); line != null; line = limits.readLine()) {
                if (line.startsWith("Max open files")) {
                    String[] columns = line.substring("Max open files".length()).trim().split("\\s+");
                    return columns[0].equals("unlimited") ? Long.MAX_VALUE / 2 : Long.parseLong(columns[0]);
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // the usual default below
        }
        return 1024;
    }
}
