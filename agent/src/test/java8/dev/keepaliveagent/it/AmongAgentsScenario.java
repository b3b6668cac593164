package dev.keepaliveagent.it;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/**
 * A child-JVM app of the kind APM agents instrument, with no keepalive code: it serves one HTTP
 * request to itself (an incoming and an outgoing call for the other agent to trace), then connects
 * to {@code HOST PORT} with {@code java.net.Socket} and blocks in read:
 * <pre>
 * HTTP 200
 * CONNECTED keepalive=true idle=2
 * FAILED java.net.SocketException: Connection timed out
 * </pre>
 * and exits when its standard input ends. Without arguments it makes the HTTP call alone and exits.
 */
public final class AmongAgentsScenario {

    public static void main(String[] args) throws Exception {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/hello", exchange -> {
            byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
        HttpURLConnection call = (HttpURLConnection) new URL("http://127.0.0.1:" + http.getAddress().getPort() + "/hello")
                .openConnection();
        try (InputStream in = call.getInputStream()) {
            while (in.read() != -1) {
                // the whole body, as a client reads it
            }
        }
        System.out.println("HTTP " + call.getResponseCode());
        http.stop(0);
        if (args.length == 0) {
            return; // the HTTP call alone
        }

        Socket socket = new Socket(InetAddress.getByName(args[0]), Integer.parseInt(args[1]));
        System.out.println("CONNECTED keepalive=" + socket.getKeepAlive()
                + " idle=" + Options.get(socket, Options.IDLE));
        try {
            int b = socket.getInputStream().read();
            System.out.println(b < 0 ? "EOF" : "READ " + b);
        } catch (IOException e) {
            System.out.println("FAILED " + e);
        }
        new BufferedReader(new InputStreamReader(System.in)).readLine();
    }
}
