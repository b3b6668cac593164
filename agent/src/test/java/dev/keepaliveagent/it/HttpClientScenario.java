package dev.keepaliveagent.it;

import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * A library the agent knows nothing of: the JDK's own HTTP client and server, on loopback. After
 * one request the client keeps its connection in its pool; the child prints the server's port and
 * holds everything open until its standard input ends, so the test can look at the pooled
 * connection in the kernel's tables.
 */
public final class HttpClientScenario {

    public static void main(String[] args) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        int port = server.getAddress().getPort();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        System.out.println("RESPONSE " + response.statusCode() + " " + response.body());
        System.out.println("SERVER-PORT " + port);
        new BufferedReader(new InputStreamReader(System.in)).readLine();
        server.stop(0);
    }
}
