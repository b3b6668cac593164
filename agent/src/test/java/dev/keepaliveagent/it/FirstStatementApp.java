package dev.keepaliveagent.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import jdk.net.ExtendedSocketOptions;

/**
 * Opens connections as early as an app can: in the main class's static initialiser, before
 * {@code main} runs, and in the first statement of {@code main}.
 */
public final class FirstStatementApp {

    private static final String BEFORE_MAIN = openAndDescribe();

    public static void main(String[] args) {
        String firstStatement = openAndDescribe();
        System.out.println("STATIC-INITIALISER " + BEFORE_MAIN);
        System.out.println("FIRST-STATEMENT " + firstStatement);
    }

    private static String openAndDescribe() {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 1, loopback);
             Socket client = new Socket(loopback, server.getLocalPort());
             Socket accepted = server.accept()) {
            return "client=" + client.getKeepAlive() + "/" + client.getOption(ExtendedSocketOptions.TCP_KEEPIDLE)
                    + " accepted=" + accepted.getKeepAlive() + "/" + accepted.getOption(ExtendedSocketOptions.TCP_KEEPIDLE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
