package dev.keepaliveagent.instrument;

import dev.keepaliveagent.boot.Switchboard;
import dev.keepaliveagent.jdk.JdkAccess;
import dev.keepaliveagent.log.AgentLog;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.lang.reflect.Executable;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Weaves the hooks of {@link Targets} into the classes that hold them, from the cache where it
 * can, and reports which targets took: the JDK's at start-up, a library's when it is loaded.
 */
public final class Instrumenter implements ClassFileTransformer {

    private final Instrumentation instrumentation;
    private final WovenClassCache cache;
    private final Map<String, List<Target>> targetsByInternalName = new HashMap<>();
    private final Map<String, List<Target>> libraryTargetsByInternalName = new HashMap<>();
    private final String[] libraryTypeSuffixes;
    private final Set<String> woven = ConcurrentHashMap.newKeySet();
    private final Set<String> wovenLibraryTypes = ConcurrentHashMap.newKeySet();
    private final AtomicInteger fromCache = new AtomicInteger();
    private final Map<String, Class<?>> libraryTypesLoadedBefore = new ConcurrentHashMap<>();
    private HookWeaver weaver;
    private final int jdk;
    /**
     * The agent's start-up thread from {@link #weaveAsLoaded} until {@link #install}: a class another thread
     * (the app's) loads meanwhile is left as it is, for {@link #install} to retransform, so that the app's
     * thread never weaves at start-up. A retransformation (another agent's) is always woven.
     */
    private volatile Thread startUpThread;

    public Instrumenter(Instrumentation instrumentation, WovenClassCache cache, int jdk) {
        this.instrumentation = instrumentation;
        this.cache = cache;
        this.jdk = jdk;
        for (Map.Entry<String, List<Target>> type : Targets.byType(jdk).entrySet()) {
            boolean inLibrary = type.getValue().get(0).inLibrary;
            (inLibrary ? libraryTargetsByInternalName : targetsByInternalName)
                    .put(type.getKey().replace('.', '/'), type.getValue());
        }
        libraryTypeSuffixes = libraryTargetsByInternalName.keySet().toArray(new String[0]);
    }

    /** From now on, a target type is woven as it loads. */
    public void weaveAsLoaded() {
        startUpThread = Thread.currentThread();
        instrumentation.addTransformer(JdkAccess.transformer(this, instrumentation), true);
    }

    /**
     * Weaves every target type (after {@link #weaveAsLoaded}), loading those not loaded yet, so that the
     * returned list (the targets that took) is complete when start-up ends; it warns about the rest.
     */
    public List<String> install(boolean attached) {
        startUpThread = null;
        List<Class<?>> loadedBefore = new ArrayList<>();
        for (String internalName : targetsByInternalName.keySet()) {
            String typeName = internalName.replace('/', '.');
            Class<?> type = bootstrapClass(typeName);
            // Loading a type for the first time has just woven it; one loaded before premain
            // (java.net and sun.nio.ch are) must be retransformed.
            if (type != null && !woven.contains(typeName)) {
                loadedBefore.add(type);
            }
        }
        retransform(loadedBefore);
        if (attached) {
            // An app that runs already has its libraries loaded: woven before the attach line lists them.
            weaveLibraryTypesLoadedBefore();
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

    /**
     * Weaves the library types (and JDK types watched as such) loaded before {@link #install}: an
     * attached agent's app has its libraries, and another agent whose premain ran first may have loaded
     * {@code java.lang.management}. Looking costs a walk over every loaded class (~3 ms), so at start-up
     * it runs off the app's path, after {@link #install}; a type loaded meanwhile is woven as it loads.
     */
    public void weaveLibraryTypesLoadedBefore() {
        List<Class<?>> loadedBefore = new ArrayList<>();
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            if (libraryTargets(type.getName().replace('.', '/')) != null && !woven.contains(type.getName())
                    && instrumentation.isModifiableClass(type)) {
                loadedBefore.add(type);
                libraryTypesLoadedBefore.put(type.getName(), type);
            }
        }
        retransform(loadedBefore);
    }

    private void retransform(List<Class<?>> types) {
        if (types.isEmpty()) {
            return;
        }
        try {
            instrumentation.retransformClasses(types.toArray(new Class<?>[0]));
        } catch (UnmodifiableClassException | RuntimeException | LinkageError e) {
            Switchboard.suppressed("retransforming " + types, e);
        }
    }

    /** A library type (or a JDK type watched as one) loaded before {@link #install}, and woven since; else null. */
    public Class<?> loadedBeforeInstall(String typeName) {
        return libraryTypesLoadedBefore.get(typeName);
    }

    /** How many JDK classes were woven. */
    public int wovenCount() {
        return woven.size();
    }

    /** The library types woven so far (a shaded copy under its own name). */
    public Set<String> wovenLibraryTypes() {
        return Collections.unmodifiableSet(new HashSet<>(wovenLibraryTypes));
    }

    /** How many of the woven types came from the cache, without weaving. */
    public int wovenFromCache() {
        return fromCache.get();
    }

    @Override
    public byte[] transform(ClassLoader loader, String internalName, Class<?> redefined,
                            ProtectionDomain domain, byte[] classFile) {
        if (internalName == null) {
            return null;
        }
        List<Target> targets = loader == null ? targetsByInternalName.get(internalName) : null;
        boolean inLibrary = targets == null;
        if (inLibrary && (targets = libraryTargets(internalName)) == null) {
            return null;
        }
        Thread startingUp = startUpThread;
        if (startingUp != null && redefined == null && startingUp != Thread.currentThread()) {
            return null; // a first load, never a retransformation: returning null there would undo the weave
        }
        String typeName = internalName.replace('/', '.');
        try {
            byte[] image = loader == null ? asInTheRuntimeImage(internalName, classFile) : classFile;
            String changed = image == classFile || Arrays.equals(image, classFile) ? null : ClassFileContent.of(classFile);
            boolean changedByAnother = changed != null && !ClassFileContent.of(image).equals(changed);
            // What an agent before this one changed stays: then the JVM's bytes are woven, and keyed by what they say.
            byte[] input = changedByAnother ? classFile : image;
            byte[] key = changedByAnother ? keyOfChanged(image, changed) : image;
            byte[] result = cache.lookup(typeName, key);
            if (result != null) {
                fromCache.incrementAndGet();
            } else {
                result = weaver().weave(input, targets);
                cache.store(typeName, key, result);
            }
            if (inLibrary) {
                wovenLibraryTypes.add(typeName);
            }
            woven.add(typeName);
            return result;
        } catch (Throwable t) {
            Switchboard.suppressed("instrumenting " + typeName + " (connections made through it get no keepalive)", t);
            return null;
        }
    }

    /**
     * A JDK class file as the runtime image has it. A class loaded before the transformer was
     * registered (by the app while the agent starts, say) is handed over as the JVM reconstitutes it,
     * in bytes that differ from the image's and from one start to the next (they depend on how far
     * the class was linked and used): unless another agent changed it ({@link ClassFileContent}), the
     * image's bytes are woven and key the cache.
     */
    private static byte[] asInTheRuntimeImage(String internalName, byte[] given) {
        try (java.io.InputStream in = ClassLoader.getSystemResourceAsStream(internalName + ".class")) {
            return in == null ? given : JdkAccess.readAll(in);
        } catch (java.io.IOException | RuntimeException e) {
            return given;
        }
    }

    /**
     * The cache's key of a JDK class another agent changed: the image's bytes, then the SHA-256 of what
     * the changed class says, so that two different changes never share an entry.
     */
    private static byte[] keyOfChanged(byte[] image, String changedContent) {
        byte[] digest = Sha256.digest(changedContent.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        byte[] key = Arrays.copyOf(image, image.length + digest.length);
        System.arraycopy(digest, 0, key, image.length, digest.length);
        return key;
    }

    /** The targets of a library type, also under a shaded name ({@code io/grpc/netty/shaded/io/netty/...}); else null. */
    private List<Target> libraryTargets(String internalName) {
        for (String suffix : libraryTypeSuffixes) {
            if (internalName.endsWith(suffix) && (internalName.length() == suffix.length()
                    || internalName.charAt(internalName.length() - suffix.length() - 1) == '/')) {
                return libraryTargetsByInternalName.get(suffix);
            }
        }
        return null;
    }

    private synchronized HookWeaver weaver() {
        if (weaver == null) {
            weaver = new HookWeaver(Switchboard.class.getName().replace('.', '/'));
        }
        return weaver;
    }

    private boolean tookEffect(Target target) {
        Class<?> type = bootstrapClass(target.typeName);
        if (type == null || !woven.contains(target.typeName)) {
            return false;
        }
        Executable[] candidates = target.isConstructor() ? type.getDeclaredConstructors() : type.getDeclaredMethods();
        for (Executable candidate : candidates) {
            if (target.matches(candidate)) {
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
