package dev.keepaliveagent;

import dev.keepaliveagent.config.AgentArguments;
import dev.keepaliveagent.config.AgentConfig;
import dev.keepaliveagent.config.InvalidArgumentException;
import dev.keepaliveagent.config.LogFormat;
import dev.keepaliveagent.config.LogLevel;
import dev.keepaliveagent.logline.LogLine;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The agent's entry, loaded by the app's class loader. It reads the arguments (the arguments' parser
 * and the value it makes are the one part of the agent defined by this loader, and shared with the
 * agent's), then creates the agent's own class loader and hands over to {@code Agent} there, so that
 * the agent's classes, Byte Buddy and tinylog never mix with the app's, and the JDK internals the
 * agent opens are opened to that loader alone.
 *
 * <p>Java 8 class files, like the whole agent: no JVM is ever taken down by a class version error.
 */
public final class AgentEntry implements Runnable {

    public static void premain(String arguments, Instrumentation instrumentation) {
        start(arguments, instrumentation, true);
    }

    /** Loaded into a running JVM: a refusal is printed, but the running app is never stopped for it. */
    public static void agentmain(String arguments, Instrumentation instrumentation) {
        start(arguments, instrumentation, false);
    }

    /** {@code java -jar keepalive-agent.jar [command]}: usage, {@code doctor}, {@code attach}; {@code --version} on any JDK. */
    public static void main(String[] args) throws Throwable {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("version"))) {
            System.out.println(AgentVersion.describe());
            System.exit(0);
        }
        // Through the agent's own loader: the commands use Byte Buddy, which is not an entry of the jar itself.
        MethodHandle run = MethodHandles.publicLookup().findStatic(agentLoader().loadClass("dev.keepaliveagent.cli.Cli"), "run",
                MethodType.methodType(int.class, String[].class, java.io.PrintStream.class, java.io.PrintStream.class));
        System.exit((int) run.invokeExact(args, System.out, System.err));
    }

    private static ClassLoader agentLoader() throws Exception {
        URL jar = AgentJar.url();
        return new AgentClassLoader(jar, new java.io.File(jar.toURI()).getPath(), AgentEntry.class.getClassLoader());
    }

    /**
     * Reads the arguments here, on the caller's thread, in this class's own loader: a bad one must stop
     * the JVM before the app's {@code main}. The agent's loader is built, and the agent proper loaded
     * into it, on the agent's thread at JVM start (that alone is 5 ms of class loading the app's
     * {@code main} no longer waits for), in the caller's after an attach (which waits for what was
     * rescued).
     */
    private static void start(String arguments, Instrumentation instrumentation, boolean atJvmStart) {
        long started = System.nanoTime();
        Map<String, String> properties;
        Map<String, String> environment;
        try {
            if (atJvmStart && ToolJvm.isThisOne()) {
                return;
            }
            properties = AgentArguments.propertiesOfThisJvm();
            environment = System.getenv();
        } catch (RuntimeException unreadable) { // a security manager's refusal: never thrown at the app
            couldNotStart(unreadable);
            return;
        }
        AgentEntry handover;
        try {
            String off = AgentArguments.switchedOffBy(arguments, properties, environment);
            if (off != null) {
                sayOff(off, AgentArguments.logFormatForRefusal(arguments, properties, environment));
                return;
            }
            handover = new AgentEntry(AgentArguments.load(arguments, properties, environment), instrumentation, !atJvmStart, started);
        } catch (InvalidArgumentException refusal) {
            LogFormat format = AgentArguments.logFormatForRefusal(arguments, properties, environment);
            refuse(StartRefusal.line(refusal.problem(), format, atJvmStart), atJvmStart, instrumentation);
            return;
        } catch (Throwable t) {
            couldNotStart(t);
            return;
        }
        handover.argumentsNanos = System.nanoTime() - started;
        if (!IN_FORCE.compareAndSet(null, handover.config)) {
            ignore(IN_FORCE.get(), arguments, handover.config, atJvmStart);
            return;
        }
        if (atJvmStart) {
            Thread thread = new Thread(handover, "keepalive-agent-start");
            thread.setDaemon(true);
            thread.start();
        } else {
            handover.run();
        }
    }

    private static void refuse(String refusal, boolean atJvmStart, Instrumentation instrumentation) {
        if (!atJvmStart) {
            System.err.println(refusal);
            return;
        }
        // Bad arguments: refuse to start rather than run silently without keepalive. One
        // line, no stack trace (throwing from premain would print one and a JVM abort).
        System.err.println(refusal);
        System.err.flush();
        StartRefusal.stopTheJvm(instrumentation);
    }

    private static void sayOff(String by, LogFormat format) {
        LogLine.write(LogLine.of(format, LogLevel.INFO, "keepalive-agent is off in this JVM (enabled=false from " + by
                + "): nothing is hooked and no other setting was read; connections keep the system's keepalive",
                java.util.Collections.<String, Object>emptyMap(), false), (String) null);
    }

    private static void couldNotStart(Throwable t) {
        System.err.println("[keepalive-agent] ERROR: could not start, the app runs without keepalive: " + t);
    }

    /**
     * The settings of the load in force (not the load itself: this class is the app class loader's, and
     * its static fields are in reach of any code's reflection, which must find no {@code Instrumentation}
     * here). The JVM calls each agent's {@code premain} in turn, on one thread, in the order
     * of its options (JAVA_TOOL_OPTIONS, then the command line), and one class of this name serves every
     * copy of the jar the app's class loader was given: so the first load wins, always, and a later one
     * only says what it was told and that it is ignored.
     */
    private static final java.util.concurrent.atomic.AtomicReference<AgentConfig> IN_FORCE =
            new java.util.concurrent.atomic.AtomicReference<>();

    private final AgentConfig config;
    private final Instrumentation instrumentation;
    private final boolean attached;
    private final long started;
    /** What the app waited for at JVM start: reading the arguments. */
    private long argumentsNanos;

    private AgentEntry(AgentConfig config, Instrumentation instrumentation, boolean attached, long started) {
        this.config = config;
        this.instrumentation = instrumentation;
        this.attached = attached;
        this.started = started;
    }

    /** A later load, given {@code arguments}: one line in this load's log, naming what it leaves out. */
    private static void ignore(AgentConfig config, String arguments, AgentConfig ignored, boolean atJvmStart) {
        if (config.logLevel() == LogLevel.OFF || config.logLevel() == LogLevel.ERROR) {
            return;
        }
        String given = arguments == null || arguments.trim().isEmpty() ? "no arguments" : "'" + arguments.trim().replaceAll("\\p{Cntrl}", "?") + "'";
        String message = "keepalive-agent is loaded a second time" + (atJvmStart
                ? " (-javaagent given twice, or in JAVA_TOOL_OPTIONS and on the command line; the first one loaded wins)"
                : " (by an attach)")
                + ": ignored, with " + given + (ignored.settings().equals(config.settings())
                        && ignored.rules().toString().equals(config.rules().toString())
                        ? ", the same settings as the first" : ", which would have made " + ignored.settings()
                        + (ignored.rules().isEmpty() ? "" : " with rules " + ignored.rules()))
                + "; in force: " + config.settings() + (config.rules().isEmpty() ? "" : " with rules " + config.rules());
        LogLine.write(LogLine.of(config.logFormat(), LogLevel.WARN, message, java.util.Collections.<String, Object>emptyMap(),
                config.logTimestamps()), config.logFile().orElse(null));
    }

    /**
     * Hands over to the agent proper in a loader of its own. Through a JDK interface: a method handle
     * or Method.invoke (on JDK 18+ built on method handles) spins classes that cost milliseconds.
     */
    @Override
    public void run() {
        try {
            @SuppressWarnings("unchecked")
            Consumer<Object[]> start = (Consumer<Object[]>) agentLoader().loadClass("dev.keepaliveagent.startup.Agent").newInstance();
            start.accept(new Object[] {config, instrumentation, attached, started, argumentsNanos});
        } catch (Throwable t) {
            couldNotStart(t);
        }
    }
}
