package dev.keepaliveagent.instrument;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.keepaliveagent.JavaFeature;
import dev.keepaliveagent.jdk.JdkAccess;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Between {@link Instrumenter#weaveAsLoaded} and {@link Instrumenter#install}, only the agent's start-up
 * thread weaves a class as it loads; a retransformation (another agent's, on its own thread) is woven
 * whoever asks, since a null answer there would take the hooks out of a class woven before.
 */
class InstrumenterStartUpTest {

    private static final String NET = "sun/nio/ch/Net";

    @Test
    void duringStartUpOnlyTheStartUpThreadWeavesAFirstLoadButAnyThreadARetransformation() throws Exception {
        Instrumenter instrumenter = new Instrumenter(doingNothing(), WovenClassCache.disabled(), JavaFeature.running());
        instrumenter.weaveAsLoaded();
        byte[] net = imageOf(NET);

        assertNull(onAnotherThread(() -> instrumenter.transform(null, NET, null, null, net)),
                "a first load by another thread (the app's) is left for install");
        assertNotNull(onAnotherThread(() -> instrumenter.transform(null, NET, Object.class, null, net)),
                "a retransformation asked for by another thread is woven");
        assertNotNull(instrumenter.transform(null, NET, null, null, net), "the start-up thread weaves a first load");
    }

    @Test
    void afterInstallEveryThreadWeavesAFirstLoad() throws Exception {
        Instrumenter instrumenter = new Instrumenter(doingNothing(), WovenClassCache.disabled(), JavaFeature.running());
        instrumenter.weaveAsLoaded();
        instrumenter.install(false);
        byte[] net = imageOf(NET);

        assertNotNull(onAnotherThread(() -> instrumenter.transform(null, NET, null, null, net)));
    }

    private interface Weave {
        byte[] run() throws Exception;
    }

    private static byte[] onAnotherThread(Weave weave) throws Exception {
        AtomicReference<Object> result = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                result.set(weave.run());
            } catch (Exception e) {
                result.set(e);
            }
        });
        thread.start();
        thread.join();
        if (result.get() instanceof Exception) {
            throw (Exception) result.get();
        }
        return (byte[]) result.get();
    }

    private static byte[] imageOf(String internalName) throws Exception {
        try (InputStream in = ClassLoader.getSystemResourceAsStream(internalName + ".class")) {
            return JdkAccess.readAll(in);
        }
    }

    /** An Instrumentation that registers nothing and retransforms nothing. */
    private static Instrumentation doingNothing() {
        return (Instrumentation) Proxy.newProxyInstance(Instrumentation.class.getClassLoader(),
                new Class<?>[] {Instrumentation.class}, (proxy, method, arguments) -> {
                    Class<?> type = method.getReturnType();
                    if (type == boolean.class) {
                        return false;
                    }
                    if (type == long.class) {
                        return 0L;
                    }
                    return type == Class[].class ? new Class<?>[0] : null;
                });
    }
}
