package dev.keepaliveagent.it;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/**
 * {@code HttpGetProbe URL}: prints the body of a GET, line by line, then {@code END}. Run inside a
 * network namespace to reach what listens on that namespace's loopback (a jmx_exporter, say).
 */
public final class HttpGetProbe {

    static final String END = "END";

    private HttpGetProbe() {
    }

    public static void main(String[] args) throws Exception {
        HttpURLConnection get = (HttpURLConnection) new URL(args[0]).openConnection();
        try (BufferedReader body = new BufferedReader(new InputStreamReader(get.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = body.readLine()) != null) {
                System.out.println(line);
            }
        }
        System.out.println(END);
    }
}
