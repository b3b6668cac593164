package dev.keepaliveagent.it;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

/**
 * Child-JVM apps for the reliability suite, with no keepalive code:
 * <pre>
 * concurrency THREADS CONNECTIONS IDLE   connect, check both ends' options, echo, close, from many threads
 * close-race  CONNECTIONS                close sockets from another thread while they connect
 * echo        MEGABYTES                  send pseudo-random bytes through echo connections, print the CRC
 * </pre>
 */
public final class StressScenario {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "concurrency":
                concurrency(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
                break;
            case "close-race":
                closeRace(Integer.parseInt(args[1]));
                break;
            case "echo":
                echo(Integer.parseInt(args[1]));
                break;
            default:
                throw new IllegalArgumentException(args[0]);
        }
        System.out.println("SUPPRESSED " + ScenarioLauncher.suppressedErrors());
    }

    /** An echo server: every accepted connection is echoed on a pool thread until the client closes. */
    private static ServerSocket echoServer(ExecutorService pool, int expectedIdle, AtomicInteger misconfigured,
                                           AtomicInteger errors) throws IOException {
        ServerSocket server = new ServerSocket(0, 1000, LOOPBACK);
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket accepted = server.accept();
                    if (expectedIdle > 0 && !configured(accepted, expectedIdle)) {
                        misconfigured.incrementAndGet();
                    }
                    pool.execute(() -> echoUntilClosed(accepted, errors));
                } catch (IOException e) {
                    if (!server.isClosed()) {
                        errors.incrementAndGet();
                    }
                }
            }
        }, "acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
        return server;
    }

    private static void echoUntilClosed(Socket socket, AtomicInteger errors) {
        try (Socket s = socket; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            byte[] buffer = new byte[65536];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // the client closed abruptly: part of the test
        } catch (RuntimeException e) {
            errors.incrementAndGet();
        }
    }

    private static void concurrency(int threads, int connections, int expectedIdle) throws Exception {
        ExecutorService echoPool = Executors.newCachedThreadPool();
        AtomicInteger misconfigured = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger made = new AtomicInteger();
        ServerSocket server = echoServer(echoPool, expectedIdle, misconfigured, errors);
        InetSocketAddress address = new InetSocketAddress(LOOPBACK, server.getLocalPort());
        ExecutorService workers = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int worker = t;
            done.add(workers.submit(() -> {
                byte[] message = new byte[512];
                for (int i = worker; i < connections; i += threads) {
                    try {
                        if (i % 2 == 0) {
                            try (Socket socket = new Socket(LOOPBACK, address.getPort())) {
                                if (!configured(socket, expectedIdle)) {
                                    misconfigured.incrementAndGet();
                                }
                                socket.getOutputStream().write(message);
                                new DataInputStream(socket.getInputStream()).readFully(new byte[message.length]);
                            }
                        } else {
                            try (SocketChannel channel = SocketChannel.open(address)) {
                                if (!configured(channel, expectedIdle)) {
                                    misconfigured.incrementAndGet();
                                }
                                channel.write(ByteBuffer.wrap(message));
                                ByteBuffer back = ByteBuffer.allocate(message.length);
                                while (back.hasRemaining() && channel.read(back) >= 0) {
                                    // until echoed
                                }
                                if (i % 10 == 1) {
                                    // another thread closes it while this one reads
                                    Thread closer = new Thread(() -> closeAfterFiveMillis(channel));
                                    closer.start();
                                    try {
                                        channel.read(ByteBuffer.allocate(1));
                                    } catch (IOException expected) {
                                        // AsynchronousCloseException: the app's own close
                                    }
                                    closer.join();
                                }
                            }
                        }
                        made.incrementAndGet();
                    } catch (Exception e) {
                        errors.incrementAndGet();
                        System.out.println("ERROR " + e);
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : done) {
            future.get(5, TimeUnit.MINUTES);
        }
        workers.shutdown();
        server.close();
        echoPool.shutdownNow();
        System.out.println("CONNECTIONS " + made.get() + " MISCONFIGURED " + misconfigured.get() + " ERRORS " + errors.get());
    }

    private static void closeAfterFiveMillis(java.io.Closeable closeable) {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            return;
        }
        close(closeable);
    }

    private static void close(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // closing is the point
        }
    }

    private static boolean configured(Object end, int expectedIdle) throws IOException {
        return Boolean.TRUE.equals(option(end, StandardSocketOptions.SO_KEEPALIVE))
                && option(end, Options.IDLE) == expectedIdle;
    }

    private static <T> T option(Object end, SocketOption<T> option) throws IOException {
        return Options.get(end, option);
    }

    /**
     * Channels closed by another thread while they connect: the closer waits a delay swept from 0 to
     * 127 microseconds after the connect begins, so that some closes land after the kernel has
     * connected and before the agent has finished configuring the socket (the child runs with
     * log=debug, where the agent says when that happened). Prints how many connects the app saw
     * closed under it; any other failure is an error.
     */
    private static void closeRace(int connections) throws Exception {
        AtomicInteger errors = new AtomicInteger();
        ExecutorService pool = Executors.newCachedThreadPool();
        ServerSocket server = echoServer(pool, 0, new AtomicInteger(), errors);
        InetSocketAddress address = new InetSocketAddress(LOOPBACK, server.getLocalPort());
        DelayedCloser closer = new DelayedCloser();
        closer.setDaemon(true);
        closer.start();
        int closedWhileConnecting = 0;
        for (int i = 0; i < connections; i++) {
            SocketChannel channel = SocketChannel.open();
            closer.closeLater(channel, (i % 128) * 1_000L);
            try {
                channel.connect(address);
            } catch (java.nio.channels.ClosedChannelException e) {
                closedWhileConnecting++; // AsynchronousCloseException: the app's own close, as without the agent
            } catch (IOException e) {
                errors.incrementAndGet();
                System.out.println("ERROR " + e);
            }
            closer.awaitClosed();
            channel.close();
        }
        server.close();
        pool.shutdownNow();
        System.out.println("CLOSE-RACE " + connections + " closed-while-connecting " + closedWhileConnecting
                + " ERRORS " + errors.get());
    }

    /** One thread that closes each channel handed to it a given delay later, timed by spinning, not sleeping. */
    private static final class DelayedCloser extends Thread {
        private volatile SocketChannel next;
        private volatile long closeAtNanos;
        private volatile boolean closed = true;

        DelayedCloser() {
            super("delayed-closer");
        }

        void closeLater(SocketChannel channel, long delayNanos) {
            closed = false;
            closeAtNanos = System.nanoTime() + delayNanos;
            next = channel;
        }

        void awaitClosed() {
            while (!closed) {
                Thread.yield();
            }
        }

        @Override
        public void run() {
            while (true) {
                SocketChannel channel = next;
                if (channel == null) {
                    Thread.yield();
                    continue;
                }
                next = null;
                while (System.nanoTime() < closeAtNanos) {
                    Thread.yield();
                }
                StressScenario.close(channel);
                closed = true;
            }
        }
    }

    private static void echo(int megabytes) throws Exception {
        ExecutorService pool = Executors.newCachedThreadPool();
        ServerSocket server = echoServer(pool, 0, new AtomicInteger(), new AtomicInteger());
        long total = (long) megabytes << 20;
        int connections = 4;
        List<Future<long[]>> results = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(connections * 2);
        for (int c = 0; c < connections; c++) {
            Socket socket = new Socket(LOOPBACK, server.getLocalPort());
            long share = total / connections;
            int seed = c;
            clients.submit(() -> {
                Random random = new Random(seed);
                byte[] chunk = new byte[65536];
                OutputStream out = socket.getOutputStream();
                for (long sent = 0; sent < share; sent += chunk.length) {
                    random.nextBytes(chunk);
                    out.write(chunk, 0, (int) Math.min(chunk.length, share - sent));
                }
                socket.shutdownOutput();
                return null;
            });
            results.add(clients.submit(() -> {
                CRC32 crc = new CRC32();
                byte[] buffer = new byte[65536];
                long received = 0;
                InputStream in = socket.getInputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    crc.update(buffer, 0, n);
                    received += n;
                }
                socket.close();
                return new long[] {crc.getValue(), received};
            }));
        }
        StringBuilder line = new StringBuilder("ECHO");
        for (Future<long[]> result : results) {
            long[] r = result.get(5, TimeUnit.MINUTES);
            line.append(' ').append(Long.toHexString(r[0])).append('/').append(r[1]);
        }
        System.out.println(line);
        clients.shutdown();
        server.close();
        pool.shutdownNow();
    }
}
