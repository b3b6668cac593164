package dev.keepaliveagent.it;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * A connection made and accepted on loopback; prints, for each {@code level/number} argument, the value
 * the kernel holds on both ends ({@code getsockopt} through the JDK's generic native, which needs
 * {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED}), then holds them until its standard input ends.
 */
public final class OptionsScenario {

    public static void main(String[] args) throws Exception {
        ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        SocketChannel client = SocketChannel.open(server.getLocalAddress());
        SocketChannel accepted = server.accept();
        for (String option : args) {
            int level = Integer.parseInt(option.substring(0, option.indexOf('/')));
            int number = Integer.parseInt(option.substring(option.indexOf('/') + 1));
            System.out.println("OPTION " + option + " client=" + get(client, level, number) + " accepted=" + get(accepted, level, number));
        }
        System.out.println("READY");
        new BufferedReader(new InputStreamReader(System.in)).readLine();
    }

    static int get(SocketChannel channel, int level, int number) throws Exception {
        Method getFd = channel.getClass().getMethod("getFD");
        getFd.setAccessible(true);
        FileDescriptor fd = (FileDescriptor) getFd.invoke(channel);
        Method getInt = Class.forName("sun.nio.ch.Net").getDeclaredMethod("getIntOption0",
                FileDescriptor.class, boolean.class, int.class, int.class);
        getInt.setAccessible(true);
        return (int) getInt.invoke(null, fd, false, level, number);
    }
}
