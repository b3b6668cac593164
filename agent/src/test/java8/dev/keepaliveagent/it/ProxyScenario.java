package dev.keepaliveagent.it;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A stand-in for a mesh's local proxy: listens on each port given (all addresses), accepts whatever comes
 * and holds it, reading and dropping, as a sidecar holds the app's side of a connection it captured.
 */
public final class ProxyScenario {

    public static void main(String[] args) throws Exception {
        for (String port : args) {
            ServerSocket server = new ServerSocket();
            server.bind(new InetSocketAddress(Integer.parseInt(port)));
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        Socket accepted = server.accept();
                        Thread holder = new Thread(() -> drain(accepted), "hold " + accepted.getRemoteSocketAddress());
                        holder.setDaemon(true);
                        holder.start();
                    }
                } catch (Exception closed) {
                    // the test ended
                }
            }, "accept " + port);
            acceptor.setDaemon(true);
            acceptor.start();
        }
        System.out.println("LISTENING");
        System.in.read();
    }

    private static void drain(Socket socket) {
        try (InputStream in = socket.getInputStream()) {
            byte[] buffer = new byte[4096];
            while (in.read(buffer) >= 0) {
                // dropped
            }
        } catch (Exception closed) {
            // the test ended
        }
    }
}
