package dev.keepaliveagent.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.FileDescriptor;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import org.junit.jupiter.api.Test;

/**
 * The switchboard lives in the bootstrap class loader, where only JDK classes can be seen. Loaded
 * here by a loader whose parent is the bootstrap loader, any stray reference to an agent class,
 * Byte Buddy or tinylog fails at once.
 */
class SwitchboardIsolationTest {

    private static final String NAME = "dev.keepaliveagent.boot.Switchboard";

    @Test
    void everyHookRunsWithOnlyTheJdkInSight() throws Throwable {
        Class<?> isolated = new BootstrapOnlyLoader().loadClass(NAME);
        assertNotSame(Switchboard.class, isolated);
        FileDescriptor fd = new FileDescriptor();
        InetAddress loopback = InetAddress.getLoopbackAddress();

        // No callbacks yet: every hook does nothing and an option passes unchanged.
        call(isolated, "connected", fd, loopback, 80);
        call(isolated, "accepted", fd, new InetSocketAddress(loopback, 80));
        call(isolated, "socketImplAccepted", new Object());
        assertSame(Boolean.FALSE, call(isolated, "optionSet", fd, StandardSocketOptions.SO_KEEPALIVE, Boolean.FALSE));

        // Callbacks that throw: the hooks swallow and count, and the option still passes.
        MethodHandle thrower = MethodHandles.lookup().findStatic(SwitchboardIsolationTest.class, "fail",
                MethodType.methodType(void.class));
        isolated.getMethod("install", MethodHandle.class, MethodHandle.class, MethodHandle.class, MethodHandle.class)
                .invoke(null,
                        MethodHandles.dropArguments(thrower, 0, FileDescriptor.class, InetAddress.class, int.class),
                        MethodHandles.dropArguments(thrower, 0, FileDescriptor.class, SocketAddress.class),
                        MethodHandles.dropArguments(thrower, 0, Object.class),
                        MethodHandles.filterReturnValue(
                                MethodHandles.dropArguments(thrower, 0, FileDescriptor.class, SocketOption.class, Object.class),
                                MethodHandles.constant(Object.class, "never")));
        call(isolated, "connected", fd, loopback, 80);
        call(isolated, "accepted", fd, new InetSocketAddress(loopback, 80));
        call(isolated, "socketImplAccepted", new Object());
        assertSame(Boolean.FALSE, call(isolated, "optionSet", fd, StandardSocketOptions.SO_KEEPALIVE, Boolean.FALSE));
        assertEquals(4L, call(isolated, "suppressedErrors"));
    }

    static void fail() {
        throw new IllegalStateException("a failing callback");
    }

    private static Object call(Class<?> type, String name, Object... args) throws Exception {
        for (Method method : type.getMethods()) {
            if (method.getName().equals(name) && method.getParameterCount() == args.length) {
                return method.invoke(null, args);
            }
        }
        throw new NoSuchMethodException(name);
    }

    /** Defines the switchboard from its class file; everything else comes from the bootstrap loader only. */
    private static final class BootstrapOnlyLoader extends ClassLoader {
        BootstrapOnlyLoader() {
            super(null);
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            if (!name.equals(NAME)) {
                throw new ClassNotFoundException(name + " is not visible from the bootstrap loader");
            }
            try (InputStream in = SwitchboardIsolationTest.class.getResourceAsStream("/" + NAME.replace('.', '/') + ".class")) {
                byte[] bytes = in.readAllBytes();
                return defineClass(name, bytes, 0, bytes.length);
            } catch (java.io.IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }
    }
}
