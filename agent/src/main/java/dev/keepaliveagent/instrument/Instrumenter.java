package dev.keepaliveagent.instrument;

import dev.keepaliveagent.log.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.description.method.MethodDescription;

/** Weaves the advice of {@link Targets} into the JDK classes that hold them, and reports which took. */
public final class Instrumenter implements ClassFileTransformer {

    private final Instrumentation instrumentation;
    private final Map<String, List<Target>> targetsByInternalName = new ConcurrentHashMap<>();
    private final Set<String> woven = ConcurrentHashMap.newKeySet();
    private final AdviceWeaver weaver = new AdviceWeaver();

    public Instrumenter(Instrumentation instrumentation) {
        this.instrumentation = instrumentation;
        Targets.byType().forEach((type, targets) -> targetsByInternalName.put(type.replace('.', '/'), targets));
    }

    /**
     * Weaves every target type, loading those not loaded yet, so that the returned list (the
     * targets that took) is complete when start-up ends; it warns about the rest.
     */
    public List<String> install(int jdk) {
        instrumentation.addTransformer(this, true);
        List<Class<?>> loadedBefore = new ArrayList<>();
        for (String typeName : Targets.byType().keySet()) {
            Class<?> type = bootstrapClass(typeName);
            // Loading a type for the first time has just woven it; one loaded before premain
            // (java.net and sun.nio.ch are) must be retransformed.
            if (type != null && !woven.contains(typeName)) {
                loadedBefore.add(type);
            }
        }
        if (!loadedBefore.isEmpty()) {
            try {
                instrumentation.retransformClasses(loadedBefore.toArray(new Class<?>[0]));
            } catch (UnmodifiableClassException | RuntimeException e) {
                AgentLog.warn("could not retransform " + loadedBefore + ": " + e);
            }
        }

        List<String> took = new ArrayList<>();
        for (Target target : Targets.ALL) {
            if (!target.expectedOn(jdk)) {
                continue;
            }
            if (tookEffect(target)) {
                took.add(target.toString());
            } else {
                AgentLog.warn("instrumentation target " + target + " was not found on this JDK ("
                        + System.getProperty("java.runtime.version") + "); connections made through it get no keepalive."
                        + " Please report it.");
            }
        }
        return took;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String internalName, Class<?> redefined,
                            ProtectionDomain domain, byte[] classFile) {
        List<Target> targets = loader == null && internalName != null ? targetsByInternalName.get(internalName) : null;
        if (targets == null) {
            return null;
        }
        String typeName = internalName.replace('/', '.');
        try {
            byte[] result = weaver.weave(typeName, classFile, targets);
            woven.add(typeName);
            return result;
        } catch (Throwable t) {
            AgentLog.warn("could not instrument " + typeName + ": " + t + "; connections made through it get no keepalive");
            return null;
        }
    }

    private boolean tookEffect(Target target) {
        Class<?> type = bootstrapClass(target.typeName);
        if (type == null || !woven.contains(target.typeName)) {
            return false;
        }
        for (Method method : type.getDeclaredMethods()) {
            if (target.methodMatcher().matches(new MethodDescription.ForLoadedMethod(method))) {
                return true;
            }
        }
        return false;
    }

    private static Class<?> bootstrapClass(String typeName) {
        try {
            return Class.forName(typeName, false, null);
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }
}
