package dev.keepaliveagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code java -jar keepalive-agent.jar attach PID [ARGS]}. */
class AttachIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void attachedToARunningJvmItConfiguresItsNewConnectionsWithTheGivenSettings() throws Exception {
        try (ForkedJvm app = ForkedJvm.start(null, LateConnectionScenario.class.getName())) {
            app.awaitLine("WAITING", TIMEOUT);
            String[] result = attach(String.valueOf(app.pid()), "idle=300,intvl=10,cnt=3");
            assertEquals("0", result[0], result[2]);
            assertTrue(result[1].startsWith("attached keepalive-agent to JVM " + app.pid() + "; its settings in force:"
                    + " idle=300s (args) intvl=10s (args) cnt=3 (args) utimeout=330s (default) -> a dead idle peer is found"
                    + " within 330s"), result[1]);
            assertTrue(result[1].contains("process " + app.pid()), result[1]);
            app.send("go");
            assertEquals("CONNECTION keepalive=true idle=300 accepted-keepalive=true", app.awaitLine("CONNECTION", TIMEOUT));
            String[] ports = app.awaitLine("PORTS", TIMEOUT).split(" ");
            KernelView kernel = KernelView.of(Integer.parseInt(ports[1]), Integer.parseInt(ports[2])).orElseThrow();
            assertTrue(kernel.keepaliveTimerRunning() && kernel.secondsToNextProbe() > 290 && kernel.secondsToNextProbe() <= 300,
                    () -> "the kernel's view of the new connection: " + kernel);
            app.release();
            String started = app.awaitStderr("[keepalive-agent] INFO: keepalive-agent " + TestJvm.VERSION, TIMEOUT);
            assertTrue(started.contains("idle=300s (args)"), started);
        }
    }

    /** An operator's java need not be the app's: a JDK 8 app answers a load in words a later JDK's client misreads. */
    @Test
    void theCommandRunOnTheTestsOwnJdkAttachesToTheAppWhateverItsJdk() throws Exception {
        try (ForkedJvm app = ForkedJvm.start(null, LateConnectionScenario.class.getName())) {
            app.awaitLine("WAITING", TIMEOUT);
            Path testsOwnJava = Paths.get(System.getProperty("java.home"), "bin", "java");
            String[] result = attach(testsOwnJava, String.valueOf(app.pid()), "idle=300");
            assertEquals("0", result[0], result[2]);
            app.release();
            assertEquals("CONNECTION keepalive=true idle=300 accepted-keepalive=true", app.awaitLine("CONNECTION", TIMEOUT));
        }
    }

    /** The other way round: the operator's java is the forked JDK (8 in its pass), the app runs on the tests' own. */
    @Test
    void theForkedJdksCommandAttachesToAnAppOnTheTestsOwnJdk() throws Exception {
        try (ForkedJvm app = ForkedJvm.startToolIn(List.of(), LateConnectionScenario.class.getName())) {
            app.awaitLine("WAITING", TIMEOUT);
            String[] result = attach(String.valueOf(app.pid()), "idle=300");
            assertEquals("0", result[0], result[2]);
            assertTrue(result[1].startsWith("attached keepalive-agent to JVM " + app.pid() + "; its settings in force: idle=300s"),
                    result[1]);
            app.release();
            assertEquals("CONNECTION keepalive=true idle=300 accepted-keepalive=true", app.awaitLine("CONNECTION", TIMEOUT));
        }
    }

    @Test
    void attachingWhereTheAgentRunsChangesNothingAndSaysSoWithTheSettingsInForce() throws Exception {
        try (ForkedJvm app = ForkedJvm.start("idle=600", LateConnectionScenario.class.getName())) {
            app.awaitLine("WAITING", TIMEOUT);
            String[] again = attach(String.valueOf(app.pid()), "idle=300");
            assertEquals("3", again[0], again[2]);
            assertEquals("", again[1]);
            assertEquals("keepalive-agent attach: keepalive-agent " + TestJvm.VERSION + " already runs in JVM " + app.pid() + ", nothing changed:"
                    + " a running agent keeps its settings (restart the JVM to change them); in force: idle=600s (args)"
                    + " intvl=30s (default) cnt=4 (default) utimeout=720s (default) -> a dead idle peer is found within 720s,"
                    + " with data in flight within 720s\n", again[2]);
            app.release();
            assertEquals("CONNECTION keepalive=true idle=600 accepted-keepalive=true", app.awaitLine("CONNECTION", TIMEOUT));
        }
        try (ForkedJvm app = ForkedJvm.start(null, LateConnectionScenario.class.getName())) {
            app.awaitLine("WAITING", TIMEOUT);
            assertEquals("0", attach(String.valueOf(app.pid()), "idle=300")[0]);
            String[] second = attach(String.valueOf(app.pid()), "idle=200");
            assertEquals("3", second[0], second[2]);
            assertTrue(second[2].contains(" already runs in JVM " + app.pid() + ", nothing changed: ") && second[2].contains(
                    "; in force: idle=300s (args)"), second[2]);
            app.release();
            assertEquals("CONNECTION keepalive=true idle=300 accepted-keepalive=true", app.awaitLine("CONNECTION", TIMEOUT));
        }
    }

    /** The JVM refuses the agent (its own KEEPALIVE_CNT is bad): attach says so, without the unrelated attach hint. */
    @Test
    void aJvmThatRefusesTheAgentIsNamedWithoutTheAttachHint() throws Exception {
        try (ForkedJvm app = ForkedJvm.startIn(java.util.Map.of("KEEPALIVE_CNT", "0"), List.of(), null, List.of(), List.of(),
                LateConnectionScenario.class.getName())) {
            app.awaitLine("WAITING", TIMEOUT);
            String[] result = attach(String.valueOf(app.pid()), "idle=300");
            assertEquals("1", result[0], result[2]);
            assertTrue(result[2].startsWith("keepalive-agent attach: the agent did not start in JVM " + app.pid()), result[2]);
            assertTrue(result[2].endsWith("; that JVM's standard error says why\n"), result[2]);
            assertFalse(result[2].contains("DisableAttachMechanism"), result[2]);
            app.awaitStderr("[keepalive-agent] ERROR: cnt=0 is out of range (from KEEPALIVE_CNT)", TIMEOUT);
            app.release();
        }
    }

    @Test
    void badTargetsGiveOneClearLineAndANonZeroExit() throws Exception {
        String[] none = attach("999999999", null);
        assertEquals("1", none[0]);
        assertEquals("keepalive-agent attach: there is no process 999999999\n", none[2]);

        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            String[] notJvm = attach(String.valueOf(sleeper.pid()), null);
            assertEquals("1", notJvm[0]);
            assertEquals("keepalive-agent attach: process " + sleeper.pid() + " is not a JVM (no libjvm.so among its mappings),"
                    + " or belongs to another user\n", notJvm[2]);
        } finally {
            sleeper.destroyForcibly();
        }

        try (ForkedJvm closed = ForkedJvm.start(null, List.of("-XX:+DisableAttachMechanism"), List.of(),
                LateConnectionScenario.class.getName())) {
            closed.awaitLine("WAITING", TIMEOUT);
            String[] refused = attach(String.valueOf(closed.pid()), null);
            assertEquals("1", refused[0]);
            assertTrue(refused[2].startsWith("keepalive-agent attach: could not attach to JVM " + closed.pid() + ": ")
                    && refused[2].endsWith(" (same user as the JVM? started with -XX:+DisableAttachMechanism?)\n"), refused[2]);
            closed.release();
        }

        String[] badArguments = attach("1", "idle=0");
        assertEquals("2", badArguments[0]);
        assertTrue(badArguments[2].startsWith("keepalive-agent: idle=0 is out of range;"), badArguments[2]);
        String[] usage = attach("not-a-pid", null);
        assertEquals("2", usage[0]);
        assertTrue(usage[2].startsWith("keepalive-agent attach: usage: attach PID [AGENT-ARGUMENTS]"), usage[2]);
    }

    /** {exit code, stdout, stderr} */
    static String[] attach(String pid, String arguments) throws Exception {
        return attach(TestJvm.java(), pid, arguments);
    }

    private static String[] attach(Path java, String pid, String arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(java.toString(), "-jar", TestJvm.agentJar().toString(),
                "attach", pid));
        if (arguments != null) {
            command.add(arguments);
        }
        Command run = Command.run(command);
        return new String[] {String.valueOf(run.exit), run.out(), run.err()};
    }
}
