package dev.keepaliveagent.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many connections, each read by a virtual thread of its own (JDK 21+; made through reflection, as
 * the scenarios are compiled for JDK 11), with no keepalive code:
 * <pre>
 * hold-server PORT          accept connections and hold them all, silent; prints ACCEPTED n every 500
 * clients N HOST PORT       connect N sockets, block a virtual thread in read on each; prints READING N,
 *                           then, once every read has failed, FAILED n, the slowest in ms, and the messages
 * </pre>
 */
public final class VirtualThreadsScenario {

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "hold-server":
                holdServer(Integer.parseInt(args[1]));
                return;
            case "clients":
                clients(Integer.parseInt(args[1]), InetAddress.getByName(args[2]), Integer.parseInt(args[3]));
                return;
            default:
                throw new IllegalArgumentException(args[0]);
        }
    }

    private static void holdServer(int port) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(port), 4096);
        System.out.println("LISTENING " + port);
        List<Socket> held = new ArrayList<>(); // held, so that no cleaner closes one
        while (true) {
            held.add(server.accept());
            if (held.size() % 500 == 0) {
                System.out.println("ACCEPTED " + held.size());
            }
        }
    }

    private static void clients(int count, InetAddress host, int port) throws Exception {
        ExecutorService virtualThreads = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
                .invoke(null);
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sockets.add(new Socket(host, port));
        }
        CountDownLatch failed = new CountDownLatch(count);
        Map<String, AtomicLong> messages = new ConcurrentHashMap<>();
        AtomicLong lastFailure = new AtomicLong();
        for (Socket socket : sockets) {
            virtualThreads.submit(() -> {
                try (InputStream in = socket.getInputStream()) {
                    int read = in.read();
                    messages.computeIfAbsent("read returned " + read, m -> new AtomicLong()).incrementAndGet();
                } catch (IOException e) {
                    messages.computeIfAbsent(String.valueOf(e), m -> new AtomicLong()).incrementAndGet();
                }
                lastFailure.accumulateAndGet(System.nanoTime(), Math::max);
                failed.countDown();
                return null;
            });
        }
        System.out.println("READING " + count);
        long started = System.nanoTime();
        if (!failed.await(5, TimeUnit.MINUTES)) {
            System.out.println("STILL-BLOCKED " + failed.getCount());
            return;
        }
        System.out.println("FAILED " + count + " within " + TimeUnit.NANOSECONDS.toMillis(lastFailure.get() - started)
                + " ms of the reads starting; " + new TreeMap<>(messages));
        virtualThreads.shutdown();
    }
}
