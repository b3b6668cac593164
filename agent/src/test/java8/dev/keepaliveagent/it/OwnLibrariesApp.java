package dev.keepaliveagent.it;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatchers;
import org.tinylog.Logger;

/**
 * An app that carries its own Byte Buddy and tinylog (other versions than the agent's, on its class
 * path with its own tinylog.properties) and uses both while opening a connection.
 */
public final class OwnLibrariesApp {

    public static void main(String[] args) throws Exception {
        Class<?> generated = new ByteBuddy()
                .subclass(Object.class)
                .method(ElementMatchers.named("toString")).intercept(FixedValue.value("made by the app's Byte Buddy"))
                .make()
                .load(OwnLibrariesApp.class.getClassLoader())
                .getLoaded();
        System.out.println(generated.getDeclaredConstructor().newInstance());
        System.out.println("byte-buddy " + ByteBuddy.class.getProtectionDomain().getCodeSource().getLocation().getPath()
                .replaceAll(".*/", ""));
        System.out.println("tinylog " + Logger.class.getProtectionDomain().getCodeSource().getLocation().getPath()
                .replaceAll(".*/", ""));
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket accepted = server.accept()) {
            Logger.info("connected with keepalive={}", client.getKeepAlive());
        }
    }
}
