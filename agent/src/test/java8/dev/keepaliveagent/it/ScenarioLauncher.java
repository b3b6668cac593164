package dev.keepaliveagent.it;


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

    /** Set by {@link ForkedJvm} where the agent is loaded at start-up; a test of the start-up window sets it false. */
    static final String AWAIT_START_UP = "scenario.awaitAgentStartUp";
    /** The JVM argument for a child whose {@code -javaagent} the test writes itself. */
    static final String AWAIT = "-D" + AWAIT_START_UP + "=true";

    /**
     * No lambda and no method handle before the scenario's main: their first use spins classes, a hundred
     * milliseconds and more on a cold JDK 8, which would start main after the agent's hooks went live and
     * leave the start-up window untested.
     */
    public static void main(String[] args) throws Throwable {
        Runtime.getRuntime().addShutdownHook(new Thread("scenario-report") {
            @Override
            public void run() {
                report("at exit");
            }
        });
        if (Boolean.getBoolean(AWAIT_START_UP)) {
            awaitAgentStartUp();
        }
        String[] scenarioArgs = java.util.Arrays.copyOfRange(args, 1, args.length);
        try {
            Class.forName(args[0]).getMethod("main", String[].class).invoke(null, (Object) scenarioArgs);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause(); // the scenario's own exception, as it threw it
        }
        report(MAIN_RETURNED);
    }

    static final String MAIN_RETURNED = "main returned";

    private static void report(String when) {
        System.out.flush();
        long suppressed = suppressedErrors();
        if (suppressed > 0) {
            // Its log line may never have come out: swallowed on a daemon thread while the JVM halted.
            System.out.println(REPORT + "the last error the agent swallowed: " + lastSuppressedError());
        }
        System.out.println(REPORT + when + "; suppressed=" + suppressed);
        System.out.flush();
    }

    /**
     * Waits until the agent's start-up, which runs beside {@code main}, has ended, so that a scenario
     * tests what the hooks do; the tests of the start-up window itself do not wait. Gives up after
     * 20 s (an agent that failed before its bootstrap classes were there never says it ended).
     */
    private static void awaitAgentStartUp() throws Throwable {
        // The agent's own wait (its jar is on this JVM's class path, as every -javaagent jar is).
        if (!dev.keepaliveagent.cli.AwaitStartUp.ended(java.time.Duration.ofSeconds(20))) {
            System.err.println("scenario launcher: the agent's start-up did not end within 20 s; running the scenario anyway");
        }
    }

    private static String lastSuppressedError() {
        try {
            return (String) Class.forName("dev.keepaliveagent.boot.Switchboard", false, null)
                    .getMethod("lastSuppressedError").invoke(null);
        } catch (ReflectiveOperationException e) {
            return "unreadable: " + e;
        }
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
