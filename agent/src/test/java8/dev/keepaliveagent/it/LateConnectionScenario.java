package dev.keepaliveagent.it;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A running app that opens a connection only when told to (a line on its standard input), so that
 * the agent can be loaded into it before: prints {@code WAITING}, then {@code CONNECTION keepalive=…
 * idle=…} and {@code PORTS client server}, and holds the connection until a second line.
 */
public final class LateConnectionScenario {

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        System.out.println("WAITING");
        in.readLine();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 1, loopback);
             Socket client = new Socket(loopback, server.getLocalPort());
             Socket accepted = server.accept()) {
            System.out.println("CONNECTION keepalive=" + client.getKeepAlive()
                    + " idle=" + Options.get(client, Options.IDLE)
                    + " accepted-keepalive=" + accepted.getKeepAlive());
            System.out.println("PORTS " + client.getLocalPort() + " " + server.getLocalPort());
            in.readLine(); // held open until told, so the kernel's view can be read
        }
    }
}
