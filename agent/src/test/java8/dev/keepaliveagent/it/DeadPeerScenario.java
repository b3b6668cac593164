package dev.keepaliveagent.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A child-JVM app for dead-peer tests, with no keepalive code:
 * <pre>
 * hold-server PORT              accept connections and hold them, silent
 * hold-client HOST PORT         connect and hold, silent
 * client socket|channel|async HOST PORT   connect, then block in read
 * client socket-close HOST PORT connect, block in read, close at its failure, then say so on stderr
 * server PORT                   accept one connection, then block in read
 * </pre>
 * It prints {@code CONNECTED local=… remote=…}, then {@code FAILED <exception>} or {@code EOF} when
 * the read ends, and exits when its standard input ends.
 */
public final class DeadPeerScenario {

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "hold-server": {
                ServerSocket server = listen(Integer.parseInt(args[1]));
                while (true) {
                    Socket held = server.accept();
                    System.out.println("ACCEPTED " + held.getRemoteSocketAddress());
                }
            }
            case "hold-client": {
                Socket socket = new Socket(InetAddress.getByName(args[1]), Integer.parseInt(args[2]));
                connected(socket.getLocalSocketAddress(), socket.getRemoteSocketAddress());
                awaitStdinEnd();
                return;
            }
            case "server": {
                ServerSocket server = listen(Integer.parseInt(args[1]));
                Socket socket = server.accept();
                connected(socket.getLocalSocketAddress(), socket.getRemoteSocketAddress());
                readUntilTheEnd(socket.getInputStream());
                awaitStdinEnd();
                return;
            }
            case "sink": {
                // Reads and discards everything, so the writer's data keeps flowing until the cut.
                ServerSocket server = listen(Integer.parseInt(args[1]));
                while (true) {
                    Socket socket = server.accept();
                    Thread reader = new Thread(() -> {
                        byte[] buffer = new byte[65536];
                        try (InputStream in = socket.getInputStream()) {
                            while (in.read(buffer) >= 0) {
                                // discard
                            }
                        } catch (IOException ignored) {
                            // the test is over
                        }
                    });
                    reader.setDaemon(true);
                    reader.start();
                }
            }
            case "writer": {
                Socket socket = new Socket(InetAddress.getByName(args[1]), Integer.parseInt(args[2]));
                connected(socket.getLocalSocketAddress(), socket.getRemoteSocketAddress());
                byte[] chunk = new byte[16384];
                long written = 0;
                try {
                    while (true) {
                        socket.getOutputStream().write(chunk);
                        written += chunk.length;
                        if (written == 1 << 20) {
                            System.out.println("WRITING");
                        }
                        Thread.sleep(2); // a steady stream, so data is always in flight
                    }
                } catch (IOException e) {
                    System.out.println("FAILED " + e);
                }
                awaitStdinEnd();
                return;
            }
            case "client":
                client(args[1], new InetSocketAddress(InetAddress.getByName(args[2]), Integer.parseInt(args[3])));
                awaitStdinEnd();
                return;
            default:
                throw new IllegalArgumentException(args[0]);
        }
    }

    private static void client(String api, InetSocketAddress server) throws Exception {
        switch (api) {
            case "socket": {
                Socket socket = new Socket(server.getAddress(), server.getPort());
                connected(socket.getLocalSocketAddress(), socket.getRemoteSocketAddress());
                readUntilTheEnd(socket.getInputStream());
                // An app that retries on the same, dead connection, on both its streams.
                try {
                    socket.getOutputStream().write(1);
                    socket.getInputStream().read();
                } catch (IOException e) {
                    System.out.println("FAILED-AGAIN " + e);
                }
                return;
            }
            case "socket-close": {
                // An app that closes the connection its read failed on and says so at once, on standard error.
                Socket socket = new Socket(server.getAddress(), server.getPort());
                connected(socket.getLocalSocketAddress(), socket.getRemoteSocketAddress());
                try (InputStream in = socket.getInputStream()) {
                    in.read();
                } catch (IOException e) {
                    System.err.println("APP: closed after " + e);
                    System.out.println("FAILED " + e);
                }
                return;
            }
            case "channel": {
                SocketChannel channel = SocketChannel.open(server);
                connected(channel.getLocalAddress(), channel.getRemoteAddress());
                try {
                    int n = channel.read(ByteBuffer.allocate(64));
                    System.out.println(n < 0 ? "EOF" : "READ " + n);
                } catch (IOException e) {
                    System.out.println("FAILED " + e);
                }
                return;
            }
            case "async": {
                AsynchronousSocketChannel channel = AsynchronousSocketChannel.open();
                channel.connect(server).get(10, TimeUnit.SECONDS);
                connected(channel.getLocalAddress(), channel.getRemoteAddress());
                try {
                    int n = channel.read(ByteBuffer.allocate(64)).get();
                    System.out.println(n < 0 ? "EOF" : "READ " + n);
                } catch (ExecutionException e) {
                    System.out.println("FAILED " + e.getCause());
                }
                return;
            }
            default:
                throw new IllegalArgumentException(api);
        }
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(port));
        System.out.println("LISTENING " + port);
        return server;
    }

    private static void connected(Object local, Object remote) {
        System.out.println("CONNECTED local=" + local + " remote=" + remote);
    }

    private static void readUntilTheEnd(InputStream in) {
        try {
            int b = in.read();
            System.out.println(b < 0 ? "EOF" : "READ " + b);
        } catch (IOException e) {
            System.out.println("FAILED " + e);
        }
    }

    private static void awaitStdinEnd() throws IOException {
        new BufferedReader(new InputStreamReader(System.in)).readLine();
    }
}
