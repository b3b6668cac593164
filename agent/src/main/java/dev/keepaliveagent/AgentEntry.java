package dev.keepaliveagent;

import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;

/**
 * The agent's entry, loaded by the app's class loader. It only creates the agent's own class
 * loader and hands over to {@link Agent} there, so that the agent's classes, Byte Buddy and tinylog
 * never mix with the app's, and the JDK internals the agent opens are opened to that loader alone.
 */
public final class AgentEntry {

    private AgentEntry() {
    }

    public static void premain(String arguments, Instrumentation instrumentation) {
        start(arguments, instrumentation, true);
    }

    /** Loaded into a running JVM: a refusal is printed, but the running app is never stopped for it. */
    public static void agentmain(String arguments, Instrumentation instrumentation) {
        start(arguments, instrumentation, false);
    }

    /** {@code java -jar keepalive-agent.jar [command]}: usage and {@code doctor}. */
    public static void main(String[] args) {
        System.exit(dev.keepaliveagent.cli.Cli.run(args, System.out, System.err));
    }

    private static void start(String arguments, Instrumentation instrumentation, boolean atJvmStart) {
        String refusal;
        try {
            URL jar = AgentEntry.class.getProtectionDomain().getCodeSource().getLocation();
            ClassLoader agentLoader = new AgentClassLoader(jar);
            // An exactly typed method handle rather than Method.invoke: on JDK 18+ core reflection
            // builds method-handle adapters that cost several milliseconds of start-up.
            MethodHandle start = MethodHandles.publicLookup().findStatic(agentLoader.loadClass("dev.keepaliveagent.Agent"),
                    "start", MethodType.methodType(String.class, String.class, Instrumentation.class, boolean.class));
            refusal = (String) start.invokeExact(arguments, instrumentation, !atJvmStart);
        } catch (Throwable t) {
            System.err.println("[keepalive-agent] ERROR: could not start, the app runs without keepalive: " + t);
            return;
        }
        if (refusal != null && !atJvmStart) {
            System.err.println(refusal + " (the agent was not loaded; the app runs on unchanged)");
        } else if (refusal != null) {
            // Bad arguments: refuse to start rather than run silently without keepalive. One
            // line, no stack trace (throwing from premain would print one and a JVM abort).
            System.err.println(refusal);
            System.err.flush();
            Runtime.getRuntime().halt(1);
        }
    }
}
