package dev.keepaliveagent.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Ways a read ends that say nothing about the peer — end of stream, the app closing its own
 * socket, a read timeout, an interrupt — each printed as {@code CASE name outcome}; then, as a
 * control, one real reset ({@code CASE reset … local=PORT}).
 */
public final class NonEventsScenario {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** How many {@code CASE} lines a run prints. */
    static final int CASES = 8;

    public static void main(String[] args) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, LOOPBACK)) {
            InetSocketAddress address = new InetSocketAddress(LOOPBACK, server.getLocalPort());

            try (Socket client = new Socket(LOOPBACK, server.getLocalPort())) {
                server.accept().close(); // a graceful close: FIN
                report("end-of-stream", () -> String.valueOf(client.getInputStream().read()));
            }

            try (Socket client = new Socket(LOOPBACK, server.getLocalPort()); Socket held = server.accept()) {
                closeOnceBlocked(Thread.currentThread(), client);
                report("socket-closed-by-the-app", () -> String.valueOf(client.getInputStream().read()));
            }

            try (Socket client = new Socket(LOOPBACK, server.getLocalPort()); Socket held = server.accept()) {
                client.setSoTimeout(200);
                report("read-timeout", () -> String.valueOf(client.getInputStream().read()));
            }

            try (SocketChannel client = SocketChannel.open(address); Socket held = server.accept()) {
                Thread reader = Thread.currentThread();
                new Thread(() -> onceBlocked(reader, reader::interrupt)).start();
                report("channel-interrupted", () -> String.valueOf(client.read(ByteBuffer.allocate(8))));
                Thread.interrupted();
            }

            try (SocketChannel client = SocketChannel.open(address); Socket held = server.accept()) {
                closeOnceBlocked(Thread.currentThread(), client);
                report("channel-closed-by-the-app", () -> String.valueOf(client.read(ByteBuffer.allocate(8))));
            }

            try (AsynchronousSocketChannel client = AsynchronousSocketChannel.open()) {
                client.connect(address).get(10, TimeUnit.SECONDS);
                try (Socket held = server.accept()) {
                    Future<Integer> read = client.read(ByteBuffer.allocate(8));
                    client.close();
                    report("async-closed-by-the-app", () -> {
                        try {
                            return String.valueOf(read.get(10, TimeUnit.SECONDS));
                        } catch (ExecutionException e) {
                            throw (Exception) e.getCause();
                        }
                    });
                }
            }

            try (SocketChannel client = SocketChannel.open(address); Socket held = server.accept()) {
                client.close();
                report("write-after-own-close", () -> String.valueOf(client.write(ByteBuffer.allocate(8))));
            }

            // The control: a real reset, which must be reported.
            try (Socket client = new Socket(LOOPBACK, server.getLocalPort())) {
                Socket accepted = server.accept();
                accepted.setSoLinger(true, 0);
                accepted.close(); // RST: a read begun before it arrives fails the same way
                InputStream in = client.getInputStream();
                report("reset local=" + client.getLocalPort(), () -> String.valueOf(in.read()));
            }
        }
        System.out.println("SUPPRESSED " + ScenarioLauncher.suppressedErrors());
    }

    interface Outcome {
        String get() throws Exception;
    }

    private static void report(String name, Outcome outcome) {
        String result;
        try {
            result = "returned " + outcome.get();
        } catch (Exception e) {
            result = "threw " + e;
        }
        System.out.println("CASE " + name + " " + result);
    }

    private static void closeOnceBlocked(Thread reader, java.io.Closeable closeable) {
        new Thread(() -> onceBlocked(reader, () -> {
            try {
                closeable.close();
            } catch (IOException ignored) {
                // closing is the point
            }
        })).start();
    }

    /**
     * Runs {@code action} once {@code reader} is blocked in a socket read, its top frame the JDK's native
     * read or poll, or after 10 s.
     */
    private static void onceBlocked(Thread reader, Runnable action) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try {
            while (!inSocketRead(reader) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        } catch (InterruptedException e) {
            return;
        }
        action.run();
    }

    private static boolean inSocketRead(Thread reader) {
        StackTraceElement[] stack = reader.getStackTrace();
        if (stack.length == 0 || !stack[0].isNativeMethod()) {
            return false;
        }
        String type = stack[0].getClassName();
        String method = stack[0].getMethodName();
        return (type.startsWith("java.net.") || type.startsWith("sun.nio.ch."))
                && (method.toLowerCase(java.util.Locale.ROOT).contains("read") || method.startsWith("poll"));
    }
}
