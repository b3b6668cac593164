package dev.keepaliveagent.jdk;

import dev.keepaliveagent.boot.SwitchboardState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;

/**
 * What the agent needs of the JDK's internals on each JDK: on 9+ the module system's openings
 * ({@link ModuleSystem}), on 8 nothing to open; and the bootstrap switchboard injected, the same way
 * on both (each JDK's own {@code Unsafe}).
 */
public final class JdkAccess {

    private static final ModuleSystem MODULES = moduleSystem();

    private JdkAccess() {
    }

    private static ModuleSystem moduleSystem() {
        try {
            Class.forName("java.lang.Module");
        } catch (ClassNotFoundException jdk8) {
            return null;
        }
        try {
            return (ModuleSystem) Class.forName("dev.keepaliveagent.jdk.JavaModules").newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the agent's module support is missing from its jar: " + e, e);
        }
    }

    /** Opens just the JDK internals the agent needs, to the agent's own class loader only (nothing to do on JDK 8). */
    public static void openInternals(Instrumentation instrumentation) {
        if (MODULES != null) {
            MODULES.openInternals(instrumentation);
        }
    }

    /**
     * Opens {@code java.lang.management} to the agent, to see whether the platform MBean server is up
     * without creating it: only where {@code ManagementFactory} was loaded before the agent, off the
     * app's path (it costs up to a millisecond).
     */
    public static void openManagement(Instrumentation instrumentation) {
        if (MODULES != null) {
            MODULES.openManagement(instrumentation);
        }
    }

    /** {@code instrumenter} as it is registered with the JVM. */
    public static ClassFileTransformer transformer(ClassFileTransformer weaver, Instrumentation instrumentation) {
        return MODULES == null ? weaver : MODULES.transformer(weaver, instrumentation);
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
     * the copies an earlier attach defined) and lets {@code java.base} read them, so the hooks woven
     * into JDK classes can call them. {@link SwitchboardState} goes inside {@code java.base}, under its
     * {@linkplain SwitchboardState#RUNTIME_NAME run-time name}, with its package exported to the others
     * alone; they are named in the order they are defined, the state after the listener interfaces and
     * before {@code Switchboard}, which links against it. {@code Unsafe.defineClass} is used rather than
     * {@code appendToBootstrapClassLoaderSearch}, which makes the JVM print a class-data-sharing
     * warning into the app's output at every start.
     */
    public static void injectIntoBootstrap(Instrumentation instrumentation, String... classNames)
            throws ReflectiveOperationException, IOException {
        Class<?> injected = null;
        for (String className : classNames) {
            boolean state = className.equals(STATE);
            String runtimeName = state ? SwitchboardState.RUNTIME_NAME : className;
            Class<?> defined;
            try {
                defined = Class.forName(runtimeName, false, null);
            } catch (ClassNotFoundException notYet) {
                defined = defineInBootstrap(runtimeName, withRuntimeNames(classBytes(className)));
            }
            if (state && MODULES != null) {
                // Before Switchboard is defined: a first call that cannot reach its state would fail for good.
                MODULES.connectSwitchboard(instrumentation, injected, defined);
            }
            injected = defined;
        }
    }

    private static final String STATE = "dev.keepaliveagent.boot.SwitchboardState";
    private static final byte[] STATE_NAME = STATE.replace('.', '/').getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STATE_RUNTIME_NAME = SwitchboardState.RUNTIME_NAME.replace('.', '/')
            .getBytes(StandardCharsets.US_ASCII);

    /**
     * {@code classFile} with {@link SwitchboardState}'s internal name, wherever it occurs (as a class, in a
     * descriptor), swapped for its run-time name, which is as long: the constant pool's lengths stay true.
     */
    static byte[] withRuntimeNames(byte[] classFile) {
        if (STATE_NAME.length != STATE_RUNTIME_NAME.length) {
            throw new IllegalStateException(STATE + " and " + SwitchboardState.RUNTIME_NAME + " must be as long");
        }
        byte[] swapped = classFile.clone();
        for (int i = 0; i + STATE_NAME.length <= swapped.length; i++) {
            if (startsAt(swapped, i, STATE_NAME)) {
                System.arraycopy(STATE_RUNTIME_NAME, 0, swapped, i, STATE_RUNTIME_NAME.length);
                i += STATE_NAME.length - 1;
            }
        }
        return swapped;
    }

    private static boolean startsAt(byte[] bytes, int offset, byte[] part) {
        for (int j = 0; j < part.length; j++) {
            if (bytes[offset + j] != part[j]) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code Unsafe.defineClass(name, bytes, 0, length, null, null)} of {@code jdk.internal.misc} (9+, opened
     * to the agent) or {@code sun.misc} (8), through an exactly typed method handle: on JDK 18+ core
     * reflection runs on method handles too, and its argument-spreading adapters cost ~20 ms of
     * start-up; an exact invocation needs almost none of them.
     */
    private static Class<?> defineInBootstrap(String className, byte[] bytes) throws ReflectiveOperationException {
        Class<?> unsafeType = Class.forName(MODULES == null ? "sun.misc.Unsafe" : "jdk.internal.misc.Unsafe");
        try {
            Object unsafe = PrivateMembers.getter(MethodHandles.lookup(), unsafeType, "theUnsafe", unsafeType)
                    .asType(MethodType.methodType(Object.class)).invokeExact();
            MethodHandle define = PrivateMembers.method(MethodHandles.lookup(), unsafeType, "defineClass", MethodType.methodType(Class.class,
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
            return readAll(in);
        }
    }

    /** {@code InputStream.readAllBytes}, which JDK 8 lacks. */
    public static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(in.available(), 4096));
        byte[] buffer = new byte[8192];
        for (int read; (read = in.read(buffer)) != -1; ) {
            bytes.write(buffer, 0, read);
        }
        return bytes.toByteArray();
    }
}
