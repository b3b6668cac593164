package dev.keepaliveagent.it;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** A small app with deterministic output that makes one loopback round trip, then exits with code 3. */
public final class HelloApp {

    public static void main(String[] args) throws Exception {
        System.out.println("hello from the app");
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket accepted = server.accept()) {
            OutputStream out = client.getOutputStream();
            out.write("ping".getBytes("UTF-8"));
            out.flush();
            InputStream in = accepted.getInputStream();
            byte[] read = new byte[4];
            new java.io.DataInputStream(in).readFully(read);
            System.out.println("server read " + new String(read, "UTF-8"));
        }
        System.err.println("the app's own stderr line");
        System.exit(3);
    }
}
