package dev.keepaliveagent.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.FileDescriptor;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The switchboard lives in the bootstrap class loader, where only JDK classes can be seen. Loaded
 * here by a loader whose parent is the bootstrap loader, any stray reference to an agent class,
 * Byte Buddy or tinylog fails at once.
 */
class SwitchboardIsolationTest {

    private static final List<String> BOOTSTRAP_CLASSES = List.of(
            "dev.keepaliveagent.boot.Switchboard", "dev.keepaliveagent.boot.SwitchboardState",
            "dev.keepaliveagent.boot.SocketEvents", "dev.keepaliveagent.boot.ChannelEvents");

    @Test
    void everyHookRunsWithOnlyTheJdkInSight() throws Throwable {
        BootstrapOnlyLoader loader = new BootstrapOnlyLoader();
        Class<?> switchboard = loader.loadClass("dev.keepaliveagent.boot.Switchboard");
        Class<?> events = loader.loadClass("dev.keepaliveagent.boot.SocketEvents");
        Class<?> channelEvents = loader.loadClass("dev.keepaliveagent.boot.ChannelEvents");
        assertNotSame(Switchboard.class, switchboard);
        FileDescriptor fd = new FileDescriptor();
        InetAddress loopback = InetAddress.getLoopbackAddress();

        // No listener yet: every hook does nothing and an option passes unchanged.
        callEveryHook(switchboard, fd, loopback);
        assertEquals(0L, call(switchboard, "suppressedErrors"));

        // A listener that throws: the hooks swallow and count, and the option still passes.
        Object failing = Proxy.newProxyInstance(loader, new Class<?>[] {events}, (proxy, method, args) -> {
            throw new IllegalStateException("a failing listener");
        });
        call(switchboard, "install", failing);
        call(switchboard, "install", Proxy.newProxyInstance(loader, new Class<?>[] {channelEvents}, (proxy, method, args) -> {
            throw new IllegalStateException("a failing listener");
        }));
        call(switchboard, "installMBeanServerListener", (java.util.function.Consumer<Object>) server -> {
            throw new IllegalStateException("a failing listener");
        });
        callEveryHook(switchboard, fd, loopback);
        assertEquals(14L, call(switchboard, "suppressedErrors"));

        // Each listener is installed once: a second one, by anyone, is refused and counted.
        assertEquals(Boolean.FALSE, call(switchboard, "install", Proxy.newProxyInstance(loader, new Class<?>[] {events},
                (proxy, method, args) -> null)));
        assertEquals(Boolean.FALSE, call(switchboard, "installMBeanServerListener",
                (java.util.function.Consumer<Object>) server -> { }));
        assertEquals(2L, call(switchboard, "refusedInstalls"));
        assertEquals(14L, call(switchboard, "suppressedErrors"), "a refusal is no error of the agent's");
        callEveryHook(switchboard, fd, loopback);
        assertEquals(28L, call(switchboard, "suppressedErrors"), "the first listeners still answer every hook");
    }

    private static void callEveryHook(Class<?> switchboard, FileDescriptor fd, InetAddress loopback) throws Exception {
        call(switchboard, "connected", fd, loopback, 80);
        call(switchboard, "accepted", fd, new InetSocketAddress(loopback, 80), new Object());
        call(switchboard, "socketImplAccepted", new Object());
        call(switchboard, "ioFailed", fd, new java.io.IOException("Connection timed out"));
        call(switchboard, "closing", fd);
        assertSame(Boolean.FALSE, call(switchboard, "optionSet", fd, StandardSocketOptions.SO_KEEPALIVE, Boolean.FALSE));
        Object channel = new Object();
        call(switchboard, "channelConnected", channel, new InetSocketAddress(loopback, 80));
        call(switchboard, "channelRegistered", channel);
        call(switchboard, "channelIoFailed", channel, new java.io.IOException("Connection timed out"));
        call(switchboard, "channelPipelineReadFailed", new Object(), new java.io.IOException("Connection timed out"));
        Object config = new Object();
        assertEquals(7200, call(switchboard, "channelIntOptionSet", config, "TCP_KEEPIDLE", 7200));
        assertEquals(Boolean.FALSE, call(switchboard, "channelKeepaliveSet", config, false));
        call(switchboard, "channelClosing", channel);
        call(switchboard, "platformMBeanServer", new Object());
    }

    private static Object call(Class<?> type, String name, Object... args) throws Exception {
        for (Method method : type.getMethods()) {
            if (method.getName().equals(name) && accepts(method.getParameterTypes(), args)) {
                return method.invoke(null, args);
            }
        }
        throw new NoSuchMethodException(name);
    }

    private static boolean accepts(Class<?>[] parameters, Object[] args) {
        if (parameters.length != args.length) {
            return false;
        }
        for (int i = 0; i < args.length; i++) {
            if (!parameters[i].isPrimitive() && !parameters[i].isInstance(args[i])) {
                return false;
            }
        }
        return true;
    }

    /** Defines the bootstrap classes from their class files; everything else comes from the bootstrap loader only. */
    private static final class BootstrapOnlyLoader extends ClassLoader {
        BootstrapOnlyLoader() {
            super(null);
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            if (!BOOTSTRAP_CLASSES.contains(name)) {
                throw new ClassNotFoundException(name + " is not visible from the bootstrap loader");
            }
            try (InputStream in = SwitchboardIsolationTest.class.getResourceAsStream("/" + name.replace('.', '/') + ".class")) {
                byte[] bytes = in.readAllBytes();
                return defineClass(name, bytes, 0, bytes.length);
            } catch (java.io.IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }
    }
}
