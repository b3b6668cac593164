package dev.keepaliveagent.jdk;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The module system of JDK 9+: opens just the JDK internals the agent needs, to the agent's own class
 * loader only (the app's modules see no change).
 */
final class JavaModules implements ModuleSystem {

    private static final Module JAVA_BASE = Object.class.getModule();

    private final Set<Module> agent = Collections.singleton(JavaModules.class.getModule());

    /**
     * {@code sun.nio.ch} holds {@code Net.setSocketOption} and the generic setsockopt, {@code java.net}
     * the fields of an accepted {@code SocketImpl}, {@code java.io} the descriptor number of a
     * {@code FileDescriptor} (for connections rescued at attach); {@code jdk.internal.misc} the means to
     * define a bootstrap class; {@code jdk.internal.vm} the agent properties attach clients read;
     * {@code sun.net.ext} the JDK's keepalive options for systems other than Linux; {@code java.util} the
     * defaults of those agent properties, where the agent's counts are read live.
     */
    @Override
    public void openInternals(Instrumentation instrumentation) {
        Map<String, Set<Module>> opened = new HashMap<>();
        for (String name : new String[] {"sun.nio.ch", "java.net", "java.io", "jdk.internal.misc", "jdk.internal.vm", "sun.net.ext",
                "java.util"}) {
            opened.put(name, agent);
        }
        instrumentation.redefineModule(JAVA_BASE, Collections.emptySet(), Collections.emptyMap(), opened,
                Collections.emptySet(), Collections.emptyMap());
    }

    /**
     * Opens {@code java.lang.management} to the agent, to see whether the platform MBean server is up
     * without creating it.
     */
    @Override
    public void openManagement(Instrumentation instrumentation) {
        Module management = java.lang.management.ManagementFactory.class.getModule();
        instrumentation.redefineModule(management, Collections.emptySet(), Collections.emptyMap(),
                Collections.singletonMap("java.lang.management", agent), Collections.emptySet(), Collections.emptyMap());
    }

    @Override
    public void connectSwitchboard(Instrumentation instrumentation, Class<?> injected, Class<?> insideJavaBase) {
        letRead(instrumentation, JAVA_BASE, injected.getModule());
        instrumentation.redefineModule(JAVA_BASE, Collections.emptySet(),
                Collections.singletonMap(packageOf(insideJavaBase), Collections.singleton(injected.getModule())),
                Collections.emptyMap(), Collections.emptySet(), Collections.emptyMap());
    }

    @Override
    public ClassFileTransformer transformer(ClassFileTransformer weaver, Instrumentation instrumentation) {
        return new ClassFileTransformer() {
            @Override
            public byte[] transform(Module module, ClassLoader loader, String internalName, Class<?> redefined,
                                    ProtectionDomain domain, byte[] classFile) throws IllegalClassFormatException {
                byte[] woven = weaver.transform(loader, internalName, redefined, domain, classFile);
                if (woven != null && loader != null) {
                    letReadSwitchboard(instrumentation, module);
                }
                return woven;
            }
        };
    }

    /** {@code Class.getPackage} is null on JDK 9 to 24 for a class the bootstrap loader got from bytes. */
    private static String packageOf(Class<?> type) {
        return type.getName().substring(0, type.getName().lastIndexOf('.'));
    }

    /** A library in a named module (on the module path) must be made to read the bootstrap classes its hooks call. */
    private static void letReadSwitchboard(Instrumentation instrumentation, Module module) {
        if (!module.isNamed()) {
            return; // an unnamed module reads every module
        }
        try {
            Module switchboard = Class.forName("dev.keepaliveagent.boot.Switchboard", false, null).getModule();
            letRead(instrumentation, module, switchboard);
        } catch (ClassNotFoundException | RuntimeException e) {
            dev.keepaliveagent.boot.Switchboard.suppressed("letting module " + module.getName()
                    + " reach the agent (its connections get no keepalive)", e);
        }
    }

    private static void letRead(Instrumentation instrumentation, Module reader, Module read) {
        if (!reader.canRead(read)) {
            instrumentation.redefineModule(reader, Collections.singleton(read), Collections.emptyMap(),
                    Collections.emptyMap(), Collections.emptySet(), Collections.emptyMap());
        }
    }
}
