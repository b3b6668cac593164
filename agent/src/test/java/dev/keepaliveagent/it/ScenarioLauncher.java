package dev.keepaliveagent.it;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The main class of every JVM {@link ForkedJvm} starts: runs the scenario's own {@code main}, then
 * tells the test that it returned and how many errors the agent swallowed meanwhile, on a line of
 * its own that {@link ForkedJvm} takes out of the output (so outputs with and without the agent
 * stay comparable). A scenario that throws, or never gets that far, prints no such line.
 */
public final class ScenarioLauncher {

    static final String REPORT = "@keepalive-it ";

    private ScenarioLauncher() {
    }

    public static void main(String[] args) throws Throwable {
        String[] scenarioArgs = java.util.Arrays.copyOfRange(args, 1, args.length);
        MethodHandles.publicLookup().findStatic(Class.forName(args[0]), "main", MethodType.methodType(void.class, String[].class))
                .invokeExact(scenarioArgs);
        System.out.flush();
        System.out.println(REPORT + "main returned; suppressed=" + suppressedErrors());
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
