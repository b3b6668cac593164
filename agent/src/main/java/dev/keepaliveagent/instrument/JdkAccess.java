package dev.keepaliveagent.instrument;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;

/**
 * Opens just the JDK internals the agent needs, to the agent's own class loader only (the app's
 * modules see no change), and injects the bootstrap switchboard.
 */
public final class JdkAccess {

    private static final Module JAVA_BASE = Object.class.getModule();

    private JdkAccess() {
    }

    /**
     * {@code sun.nio.ch} holds {@code Net.setSocketOption}, {@code sun.net.ext} the platform's
     * extended socket options, {@code java.net} the fields of an accepted {@code SocketImpl},
     * {@code java.io} the descriptor number of a {@code FileDescriptor} (for connections rescued at attach);
     * {@code jdk.internal.misc} the means to define a bootstrap class.
     */
    public static void openInternals(Instrumentation instrumentation) {
        Set<Module> agent = Set.of(JdkAccess.class.getModule());
        instrumentation.redefineModule(JAVA_BASE, Set.of(),
                Map.of("jdk.internal.misc", agent),
                Map.of("sun.nio.ch", agent, "sun.net.ext", agent, "java.net", agent, "java.io", agent),
                Set.of(), Map.of());
    }

    /**
     * Opens {@code java.lang.management} to the agent, to see whether the platform MBean server is up
     * without creating it: only where {@code ManagementFactory} was loaded before the agent, off the
     * app's path (it costs up to a millisecond).
     */
    public static void openManagement(Instrumentation instrumentation) {
        Module management = java.lang.management.ManagementFactory.class.getModule();
        instrumentation.redefineModule(management, Set.of(), Map.of(),
                Map.of("java.lang.management", Set.of(JdkAccess.class.getModule())), Set.of(), Map.of());
    }

    /** Whether the bootstrap switchboard exists and an agent listens on it already. */
    public static boolean alreadyActive() {
        try {
            Class<?> switchboard = Class.forName("dev.keepaliveagent.boot.Switchboard", false, null);
            return (boolean) MethodHandles.publicLookup()
                    .findStatic(switchboard, "isInstalled", MethodType.methodType(boolean.class)).invokeExact();
        } catch (ClassNotFoundException notYet) {
            return false;
        } catch (Throwable t) {
            return false;
        }
    }

    /**
     * Defines the named classes, read from the agent jar, in the bootstrap class loader (or finds
     * the copies an earlier attach defined) and lets {@code java.base} read them, so advice inlined
     * into JDK classes can call them. {@code jdk.internal.misc.Unsafe.defineClass} is used rather
     * than {@code appendToBootstrapClassLoaderSearch}, which makes the JVM print a class-data-sharing
     * warning into the app's output at every start.
     */
    public static void injectIntoBootstrap(Instrumentation instrumentation, String... classNames)
            throws ReflectiveOperationException, IOException {
        Module bootUnnamed = null;
        for (String className : classNames) {
            Class<?> injected;
            try {
                injected = Class.forName(className, false, null);
            } catch (ClassNotFoundException notYet) {
                byte[] bytes = classBytes(className);
                injected = defineInBootstrap(className, bytes);
            }
            bootUnnamed = injected.getModule();
        }
        if (bootUnnamed != null && !JAVA_BASE.canRead(bootUnnamed)) {
            instrumentation.redefineModule(JAVA_BASE, Set.of(bootUnnamed), Map.of(), Map.of(), Set.of(), Map.of());
        }
    }

    /**
     * {@code Unsafe.defineClass(name, bytes, 0, length, null, null)} through an exactly typed method
     * handle: on JDK 18+ core reflection runs on method handles too, and its argument-spreading
     * adapters cost ~20 ms of start-up; an exact invocation needs almost none of them.
     */
    private static Class<?> defineInBootstrap(String className, byte[] bytes) throws ReflectiveOperationException {
        Class<?> unsafeType = Class.forName("jdk.internal.misc.Unsafe");
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        try {
            Object unsafe = lookup.findStatic(unsafeType, "getUnsafe", MethodType.methodType(unsafeType))
                    .asType(MethodType.methodType(Object.class)).invokeExact();
            MethodHandle define = lookup.findVirtual(unsafeType, "defineClass", MethodType.methodType(Class.class,
                    String.class, byte[].class, int.class, int.class, ClassLoader.class, ProtectionDomain.class)).bindTo(unsafe);
            return (Class<?>) define.invokeExact(className, bytes, 0, bytes.length, (ClassLoader) null, (ProtectionDomain) null);
        } catch (ReflectiveOperationException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static byte[] classBytes(String className) throws IOException {
        String resource = className.replace('.', '/') + ".class";
        try (InputStream in = JdkAccess.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " is missing from the agent jar");
            }
            return in.readAllBytes();
        }
    }
}
