package dev.keepaliveagent.it;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Plain app code, no flags, trying the agent's doors once the agent has started: installs its own
 * listener on the switchboard, reflects on where the agent's listener is kept, asks the MBean server
 * for the agent's class loader, and looks for an {@code Instrumentation} in the agent's entry class.
 * Prints one line of each outcome, then opens a connection ({@code CONNECTION}, {@code PORTS}) and
 * holds it until a line on its standard input.
 */
public final class SwitchboardDoorScenario {

    public static void main(String[] args) throws Exception {
        AtomicInteger stolen = new AtomicInteger();
        Class<?> switchboard = Class.forName("dev.keepaliveagent.boot.Switchboard");
        Class<?> events = Class.forName("dev.keepaliveagent.boot.SocketEvents");
        Object thief = Proxy.newProxyInstance(SwitchboardDoorScenario.class.getClassLoader(), new Class<?>[] {events},
                (proxy, method, arguments) -> {
                    stolen.incrementAndGet();
                    return method.getName().equals("optionSet") ? arguments[2] : null;
                });
        System.out.println("INSTALL " + outcome(() -> switchboard.getMethod("install", events).invoke(null, thief)));
        List<String> fields = new ArrayList<>();
        for (Field field : switchboard.getDeclaredFields()) {
            fields.add(field.getName());
        }
        System.out.println("SWITCHBOARD-FIELDS " + fields);
        System.out.println("EVENTS-REFLECTION " + outcome(() -> {
            Field field = Class.forName("jdk.internal.vm.KeepaliveSwitchboardCore").getDeclaredField("events");
            field.setAccessible(true);
            Object listener = field.get(null);
            return "read " + (listener == null ? "null" : listener.getClass().getName());
        }));
        System.out.println("MBEAN-LOADER " + outcome(() -> {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName("dev.keepaliveagent:type=KeepaliveAgent");
            for (int i = 0; i < 500 && !server.isRegistered(name); i++) {
                Thread.sleep(10);
            }
            ClassLoader loader = server.getClassLoaderFor(name);
            return loader == null ? "bootstrap" : loader.getClass().getName();
        }));
        System.out.println("INSTRUMENTATION-IN-REACH " + outcome(() -> instrumentationsIn(Class.forName("dev.keepaliveagent.AgentEntry"))));

        InetAddress loopback = InetAddress.getLoopbackAddress();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        try (ServerSocket server = new ServerSocket(0, 1, loopback);
             Socket client = new Socket(loopback, server.getLocalPort());
             Socket accepted = server.accept()) {
            System.out.println("CONNECTION keepalive=" + client.getKeepAlive() + " idle=" + Options.get(client, Options.IDLE)
                    + " accepted-keepalive=" + accepted.getKeepAlive());
            System.out.println("PORTS " + client.getLocalPort() + " " + server.getLocalPort());
            System.out.println("STOLEN " + stolen.get());
            in.readLine();
        }
    }

    /** The fields, static and one step into what they hold, whose value is an Instrumentation. */
    private static List<String> instrumentationsIn(Class<?> type) throws Exception {
        List<String> found = new ArrayList<>();
        for (Field field : type.getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            field.setAccessible(true);
            Object value = field.get(null);
            if (value instanceof java.util.concurrent.atomic.AtomicReference) {
                value = ((java.util.concurrent.atomic.AtomicReference<?>) value).get();
            }
            if (value instanceof java.lang.instrument.Instrumentation) {
                found.add(field.getName());
            } else if (value != null && !value.getClass().getName().startsWith("java.")) {
                for (Field inner : value.getClass().getDeclaredFields()) {
                    if (!Modifier.isStatic(inner.getModifiers())) {
                        inner.setAccessible(true);
                        if (inner.get(value) instanceof java.lang.instrument.Instrumentation) {
                            found.add(field.getName() + "." + inner.getName());
                        }
                    }
                }
            }
        }
        return found;
    }

    private interface Attempt {
        Object run() throws Exception;
    }

    /** What came of {@code attempt}: its result, or the class of what it threw (the cause of a reflective call's). */
    private static String outcome(Attempt attempt) {
        try {
            return String.valueOf(attempt.run());
        } catch (java.lang.reflect.InvocationTargetException e) {
            return "threw " + e.getCause().getClass().getName();
        } catch (Exception | LinkageError e) {
            return "threw " + e.getClass().getName();
        }
    }
}
