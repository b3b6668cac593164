package dev.keepaliveagent.it;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Several destinations in one JVM: for each {@code host:port} argument a server on that address
 * and a client connected to it; prints both ends' options, TCP_USER_TIMEOUT included (read with
 * the JDK's own getsockopt, which needs {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED}), and
 * holds the connections until its standard input ends.
 */
public final class RulesScenario {

    public static void main(String[] args) throws Exception {
        for (String destination : args) {
            String host = destination.substring(0, destination.lastIndexOf(':'));
            int port = Integer.parseInt(destination.substring(destination.lastIndexOf(':') + 1));
            ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getByName(host), port));
            SocketChannel client = SocketChannel.open(new InetSocketAddress(InetAddress.getByName(host), port));
            SocketChannel accepted = server.accept();
            print("client " + destination, client);
            print("accepted " + destination, accepted);
        }
        System.out.println("READY");
        new BufferedReader(new InputStreamReader(System.in)).readLine();
    }

    private static void print(String role, SocketChannel channel) throws Exception {
        InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
        InetSocketAddress remote = (InetSocketAddress) channel.getRemoteAddress();
        System.out.println("SOCKET " + role.replace(' ', '@') + " local=" + local.getPort() + " remote=" + remote.getPort()
                + " keepalive=" + channel.getOption(StandardSocketOptions.SO_KEEPALIVE)
                + " idle=" + extended(channel, Options.IDLE)
                + " intvl=" + extended(channel, Options.INTERVAL)
                + " cnt=" + extended(channel, Options.COUNT)
                + " utimeout=" + userTimeout(channel));
    }

    /** -1 where the JDK does not offer the option on this platform. */
    private static int extended(SocketChannel channel, java.net.SocketOption<Integer> option) throws java.io.IOException {
        try {
            return channel.getOption(option);
        } catch (UnsupportedOperationException notHere) {
            return -1;
        }
    }

    /** getsockopt(IPPROTO_TCP, TCP_USER_TIMEOUT) through the JDK's generic native. */
    static int userTimeout(SocketChannel channel) throws Exception {
        return OptionsScenario.get(channel, 6, 18);
    }
}
