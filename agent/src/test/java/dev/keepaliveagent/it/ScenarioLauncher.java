package dev.keepaliveagent.it;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The main class of every JVM {@link ForkedJvm} starts: runs the scenario's own {@code main}, then
 * tells the test that it returned and how many errors the agent swallowed meanwhile, and again when
 * the JVM exits (also through {@code System.exit}), on lines of their own that {@link ForkedJvm}
 * takes out of the output (so outputs with and without the agent stay comparable). A scenario whose
 * main throws prints no "main returned" line.
 */
public final class ScenarioLauncher {

    static final String REPORT = "@keepalive-it ";

    private ScenarioLauncher() {
    }

    public static void main(String[] args) throws Throwable {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> report("at exit"), "scenario-report"));
        String[] scenarioArgs = java.util.Arrays.copyOfRange(args, 1, args.length);
        MethodHandles.publicLookup().findStatic(Class.forName(args[0]), "main", MethodType.methodType(void.class, String[].class))
                .invokeExact(scenarioArgs);
        report(MAIN_RETURNED);
    }

    static final String MAIN_RETURNED = "main returned";

    private static void report(String when) {
        System.out.flush();
        System.out.println(REPORT + when + "; suppressed=" + suppressedErrors());
        System.out.flush();
    }

    /** The agent's count of errors it swallowed, from its bootstrap switchboard; -1 without the agent. */
    static long suppressedErrors() {
        try {
            return (long) Class.forName("dev.keepaliveagent.boot.Switchboard", false, null)
                    .getMethod("suppressedErrors").invoke(null);
        } catch (ClassNotFoundException e) {
            return -1;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
