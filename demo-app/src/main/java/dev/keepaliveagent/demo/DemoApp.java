package dev.keepaliveagent.demo;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/**
 * An ordinary client and server with no keepalive code at all, like most Java code:
 * <pre>
 * java -jar demo-app.jar server PORT            accepts connections and never says a word
 * java -jar demo-app.jar client HOST PORT       connects and waits in read() for the server
 * </pre>
 */
public final class DemoApp {

    private DemoApp() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("server")) {
            server(Integer.parseInt(args[1]));
        } else if (args.length == 3 && args[0].equals("client")) {
            client(args[1], Integer.parseInt(args[2]));
        } else {
            System.err.println("usage: java -jar demo-app.jar server PORT | client HOST PORT");
            System.exit(2);
        }
    }

    private static void server(int port) throws IOException {
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(port));
            say("server: listening on port " + port);
            while (true) {
                Socket connection = server.accept();
                say("server: accepted " + connection.getRemoteSocketAddress() + "; holding it open, silent");
                // Held open forever: the server never writes, like a database waiting for a query.
                Thread holder = new Thread(() -> drain(connection), "holder");
                holder.setDaemon(true);
                holder.start();
            }
        }
    }

    private static void drain(Socket connection) {
        try (InputStream in = connection.getInputStream()) {
            while (in.read() >= 0) {
                // discard
            }
        } catch (IOException e) {
            say("server: connection " + connection.getRemoteSocketAddress() + " failed: " + e);
        }
    }

    private static void client(String host, int port) throws IOException {
        Socket socket = new Socket(InetAddress.getByName(host), port);
        say("client: connected " + socket.getLocalSocketAddress() + " -> " + socket.getRemoteSocketAddress()
                + "; waiting in read() for the server");
        Instant start = Instant.now();
        try (InputStream in = socket.getInputStream()) {
            int b = in.read();
            say("client: read returned " + b + " after " + since(start));
        } catch (IOException e) {
            say("client: read failed after " + since(start) + ": " + e);
            System.exit(1);
        }
    }

    private static String since(Instant start) {
        return Duration.between(start, Instant.now()).getSeconds() + " s";
    }

    private static void say(String line) {
        System.out.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " " + line);
    }
}
