package dev.keepaliveagent;

import dev.keepaliveagent.config.AgentArguments;
import dev.keepaliveagent.config.AgentConfig;
import dev.keepaliveagent.config.InvalidArgumentException;
import dev.keepaliveagent.instrument.Instrumenter;
import dev.keepaliveagent.instrument.JdkAccess;
import dev.keepaliveagent.log.AgentLog;
import dev.keepaliveagent.tune.SocketTuner;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.util.List;

/** The agent proper, in its own class loader: the start-up sequence, read top to bottom. */
public final class Agent {

    static final String SWITCHBOARD = "dev.keepaliveagent.boot.Switchboard";

    private Agent() {
    }

    /** Starts the agent; returns the one-line refusal for bad arguments, else null. */
    public static String start(String arguments, Instrumentation instrumentation) throws Exception {
        long started = System.nanoTime();
        AgentConfig config;
        try {
            config = AgentArguments.parse(arguments);
        } catch (InvalidArgumentException e) {
            return e.getMessage();
        }
        AgentLog.configure(config);
        try {
            JdkAccess.openInternals(instrumentation);
            Class<?> switchboard = JdkAccess.injectIntoBootstrap(instrumentation, SWITCHBOARD);
            SocketTuner tuner = new SocketTuner(config.settings());
            MethodHandle[] callbacks = tuner.callbacks();
            switchboard.getMethod("install", MethodHandle.class, MethodHandle.class, MethodHandle.class, MethodHandle.class)
                    .invoke(null, (Object[]) callbacks);
            int jdk = Runtime.version().feature();
            List<String> targets = new Instrumenter(instrumentation).install(jdk);
            AgentLog.info("keepalive-agent " + version() + " on JDK " + System.getProperty("java.runtime.version")
                    + ": " + config + "; instrumented " + String.join(", ", targets)
                    + " (start-up took " + (System.nanoTime() - started) / 1_000_000 + " ms)");
        } catch (Exception | LinkageError e) {
            AgentLog.error("could not start, the app runs without keepalive: " + e);
        }
        return null;
    }

    static String version() {
        String version = Agent.class.getPackage().getImplementationVersion();
        return version == null ? "(development build)" : version;
    }
}
