package dev.keepaliveagent.jdk;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;

/**
 * What the agent must do on JDK 9+ that JDK 8, which has no modules, does not ask: open internals to
 * the agent, let modules read the bootstrap classes the hooks call. Implemented by {@code JavaModules},
 * a class of the JDK APIs' source set, loaded only where {@code java.lang.Module} exists.
 */
interface ModuleSystem {

    void openInternals(Instrumentation instrumentation);

    void openManagement(Instrumentation instrumentation);

    /**
     * Lets {@code java.base} read the module of {@code injected}, a class defined in the bootstrap loader
     * (its unnamed module), and exports {@code insideJavaBase}'s package to that module alone.
     */
    void connectSwitchboard(Instrumentation instrumentation, Class<?> injected, Class<?> insideJavaBase);

    /** {@code weaver} as the JVM calls it on 9+, with the module of each class, which a woven library may need to read the switchboard's. */
    ClassFileTransformer transformer(ClassFileTransformer weaver, Instrumentation instrumentation);
}
