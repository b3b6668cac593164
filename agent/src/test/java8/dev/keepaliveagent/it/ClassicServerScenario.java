package dev.keepaliveagent.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * A classic thread-per-connection server, without a line about keepalive: it listens from its first
 * statement, and two acceptor threads wait in {@code ServerSocket.accept} at once, so both accepts
 * begin before the agent's hooks are live. Each connection's handler reads one byte, the client's
 * wish: {@code 0} switches keepalive off, as pgjdbc does; then prints {@code CONNECTED local=…
 * remote=… keepalive=B} and reads until the read fails ({@code FAILED <exception>}).
 *
 * <p>{@code channel-server PORT} is the same server on {@code ServerSocketChannel}s, blocking as Tomcat's
 * and Jetty's acceptors are, reading its connections through the channel.
 *
 * <p>{@code server PORT}; or {@code client HOST:PORT:on|off…}, which opens those connections, sends
 * each its wish, prints {@code CONNECTED local=… remote=…} for each, and holds them until its
 * standard input ends.
 */
public final class ClassicServerScenario {

    private static final int ACCEPTORS = 2;

    public static void main(String[] args) throws Exception {
        if (args[0].equals("server")) {
            serve(Integer.parseInt(args[1]));
        } else if (args[0].equals("channel-server")) {
            serveChannels(Integer.parseInt(args[1]));
        } else {
            hold(java.util.Arrays.copyOfRange(args, 1, args.length));
        }
    }

    private static void serve(int port) throws IOException, InterruptedException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(port), 50);
        List<Thread> acceptors = new ArrayList<>();
        for (int i = 0; i < ACCEPTORS; i++) {
            Thread acceptor = new Thread(() -> acceptForever(server), "acceptor-" + i);
            acceptor.start();
            acceptors.add(acceptor);
        }
        System.out.println("LISTENING " + port);
        for (Thread acceptor : acceptors) {
            acceptor.join(); // main does not return: a server runs until it is stopped
        }
    }

    private static void acceptForever(ServerSocket server) {
        while (true) {
            try {
                Socket connection = server.accept();
                new Thread(() -> handle(connection), "handler-" + connection.getPort()).start();
            } catch (IOException e) {
                System.out.println("ACCEPT FAILED " + e);
                return;
            }
        }
    }

    private static void handle(Socket connection) {
        try {
            int wish = connection.getInputStream().read();
            if (wish == '0') {
                connection.setKeepAlive(false);
            }
            System.out.println("CONNECTED local=" + connection.getLocalSocketAddress() + " remote="
                    + connection.getRemoteSocketAddress() + " keepalive=" + connection.getKeepAlive());
            int b = connection.getInputStream().read();
            System.out.println(b < 0 ? "EOF" : "READ " + b);
        } catch (IOException e) {
            System.out.println("FAILED " + e);
        }
    }

    private static void serveChannels(int port) throws IOException, InterruptedException {
        ServerSocketChannel server = ServerSocketChannel.open();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        server.bind(new InetSocketAddress(port), 50);
        List<Thread> acceptors = new ArrayList<>();
        for (int i = 0; i < ACCEPTORS; i++) {
            Thread acceptor = new Thread(() -> acceptChannelsForever(server), "acceptor-" + i);
            acceptor.start();
            acceptors.add(acceptor);
        }
        System.out.println("LISTENING " + port);
        for (Thread acceptor : acceptors) {
            acceptor.join();
        }
    }

    private static void acceptChannelsForever(ServerSocketChannel server) {
        while (true) {
            try {
                SocketChannel connection = server.accept();
                new Thread(() -> handle(connection), "handler-" + connection.socket().getPort()).start();
            } catch (IOException e) {
                System.out.println("ACCEPT FAILED " + e);
                return;
            }
        }
    }

    private static void handle(SocketChannel connection) {
        try {
            ByteBuffer wish = ByteBuffer.allocate(1);
            connection.read(wish);
            if (wish.get(0) == '0') {
                connection.setOption(StandardSocketOptions.SO_KEEPALIVE, false);
            }
            System.out.println("CONNECTED local=" + connection.getLocalAddress() + " remote="
                    + connection.getRemoteAddress() + " keepalive=" + connection.getOption(StandardSocketOptions.SO_KEEPALIVE));
            int read = connection.read(ByteBuffer.allocate(1));
            System.out.println(read < 0 ? "EOF" : "READ " + read);
        } catch (IOException e) {
            System.out.println("FAILED " + e);
        }
    }

    private static void hold(String[] peers) throws IOException {
        List<Socket> held = new ArrayList<>();
        for (String peer : peers) {
            String[] parts = peer.split(":");
            Socket socket = new Socket(InetAddress.getByName(parts[0]), Integer.parseInt(parts[1]));
            OutputStream out = socket.getOutputStream();
            out.write(parts[2].equals("off") ? '0' : '1');
            out.flush();
            held.add(socket);
            System.out.println("CONNECTED local=" + socket.getLocalSocketAddress() + " remote="
                    + socket.getRemoteSocketAddress() + " " + parts[2]);
        }
        new BufferedReader(new InputStreamReader(System.in)).readLine();
    }
}
