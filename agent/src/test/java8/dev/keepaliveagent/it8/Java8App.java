package dev.keepaliveagent.it8;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * An app in Java 8 class files, for the JDKs the agent does not serve: one loopback round trip,
 * whether each end has keepalive, then exit code 3.
 */
public final class Java8App {

    private Java8App() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("hello from a Java 8 app");
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket accepted = server.accept()) {
            OutputStream out = client.getOutputStream();
            out.write("ping".getBytes("UTF-8"));
            out.flush();
            InputStream in = accepted.getInputStream();
            byte[] read = new byte[4];
            int n = 0;
            while (n < read.length) {
                n += in.read(read, n, read.length - n);
            }
            System.out.println("server read " + new String(read, "UTF-8"));
            System.out.println("keepalive client=" + client.getKeepAlive() + " accepted=" + accepted.getKeepAlive());
        }
        System.exit(3);
    }
}
