package dev.keepaliveagent.instrument;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
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
     * extended socket options, {@code java.net} the fields of an accepted {@code SocketImpl};
     * {@code jdk.internal.misc} the means to define a bootstrap class.
     */
    public static void openInternals(Instrumentation instrumentation) {
        Set<Module> agent = Set.of(JdkAccess.class.getModule());
        instrumentation.redefineModule(JAVA_BASE, Set.of(),
                Map.of("jdk.internal.misc", agent),
                Map.of("sun.nio.ch", agent, "sun.net.ext", agent, "java.net", agent),
                Set.of(), Map.of());
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
                Class<?> unsafeType = Class.forName("jdk.internal.misc.Unsafe");
                Object unsafe = unsafeType.getMethod("getUnsafe").invoke(null);
                Method defineClass = unsafeType.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
                        ClassLoader.class, ProtectionDomain.class);
                injected = (Class<?>) defineClass.invoke(unsafe, className, bytes, 0, bytes.length, null, null);
            }
            bootUnnamed = injected.getModule();
        }
        if (bootUnnamed != null) {
            instrumentation.redefineModule(JAVA_BASE, Set.of(bootUnnamed), Map.of(), Map.of(), Set.of(), Map.of());
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
