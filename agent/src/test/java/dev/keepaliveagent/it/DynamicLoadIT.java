package dev.keepaliveagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keepaliveagent.config.TestSettings;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The agent loaded into a JVM that is already running ({@code jcmd PID JVMTI.agent_load}; on JDK 8,
 * which has no such command, the attach API's {@code loadAgent}): new connections are covered from then on; a second load changes nothing and says so; bad arguments
 * are refused without stopping the app.
 */
class DynamicLoadIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void loadedIntoARunningJvmItCoversTheConnectionsOpenedAfter() throws Exception {
        try (ForkedJvm app = ForkedJvm.start(null, LateConnectionScenario.class.getName())) {
            app.awaitLine("WAITING", TIMEOUT);
            load(app, null);
            app.release();
            assertEquals("CONNECTION keepalive=true idle=120 accepted-keepalive=true", app.awaitLine("CONNECTION", TIMEOUT));
            app.awaitSuccess(TIMEOUT);
            assertTrue(agentLines(app).get(0).startsWith("[keepalive-agent] INFO: keepalive-agent " + TestJvm.VERSION), app.stderr()::toString);
            assertTrue(agentLines(app).contains("[keepalive-agent] INFO: attached without agent arguments: the settings above"
                    + " are the defaults, or the JVM's own -D keepalive.* and KEEPALIVE_* (jcmd JVMTI.agent_load drops '=' and"
                    + " what follows it from the arguments; to give settings: java -jar keepalive-agent.jar attach PID idle=...)"),
                    app.stderr()::toString);
        }
    }

    /** jcmd reads "idle=30" as a named argument of its own and hands the agent "idle": the refusal says what happened. */
    @Test
    void settingsGivenToJcmdAreRefusedWithWhatJcmdDidToThem() throws Exception {
        try (ForkedJvm app = ForkedJvm.start(null, LateConnectionScenario.class.getName())) {
            app.awaitLine("WAITING", TIMEOUT);
            load(app, "idle=30");
            app.release();
            if (TestJvm.feature() < 9) { // no jcmd JVMTI.agent_load: the attach API passes the words as they are
                assertEquals("CONNECTION keepalive=true idle=30 accepted-keepalive=true", app.awaitLine("CONNECTION", TIMEOUT));
                return;
            }
            assertEquals("CONNECTION keepalive=false idle=7200 accepted-keepalive=false", app.awaitLine("CONNECTION", TIMEOUT));
            app.awaitSuccess(TIMEOUT);
            assertTrue(app.stderr().contains(TestSettings.withOptionKeys("[keepalive-agent] ERROR: 'idle' is not a key=value pair"
                    + " (loaded by jcmd JVMTI.agent_load? jcmd drops '=' and what follows it: load with java -jar keepalive-agent.jar"
                    + " attach PID idle=VALUE); write options as key=value separated by commas, e.g. idle=600,intvl=60,cnt=20"
                    + " (accepted keys: {options}, enabled, rules, log, logfile, logformat, logtime, cache, config) (the agent was not"
                    + " loaded; the app runs on unchanged)")), app.stderr()::toString);
        }
    }

    @Test
    void aSecondLoadChangesNothingAndSaysSo() throws Exception {
        try (ForkedJvm app = ForkedJvm.start("idle=600", LateConnectionScenario.class.getName())) {
            app.awaitLine("WAITING", TIMEOUT);
            load(app, null);
            app.release();
            assertEquals("CONNECTION keepalive=true idle=600 accepted-keepalive=true", app.awaitLine("CONNECTION", TIMEOUT));
            app.awaitSuccess(TIMEOUT);
            assertEquals("[keepalive-agent] WARN: keepalive-agent is loaded a second time (by an attach): ignored, with no"
                    + " arguments, which would have made idle=120s intvl=30s cnt=4 utimeout=240s; in force: idle=600s intvl=30s"
                    + " cnt=4 utimeout=720s", agentLines(app).get(1));
        }
    }

    @Test
    void badArgumentsAreRefusedWithoutStoppingTheRunningApp() throws Exception {
        try (ForkedJvm app = ForkedJvm.start(null, LateConnectionScenario.class.getName())) {
            app.awaitLine("WAITING", TIMEOUT);
            load(app, "nonsense");
            app.release();
            assertEquals("CONNECTION keepalive=false idle=7200 accepted-keepalive=false", app.awaitLine("CONNECTION", TIMEOUT));
            app.awaitSuccess(TIMEOUT);
            assertTrue(app.stderr().contains(TestSettings.withOptionKeys("[keepalive-agent] ERROR: 'nonsense' is not a key=value pair;"
                    + " write options as key=value separated by commas, e.g. idle=600,intvl=60,cnt=20 (accepted keys: {options}, enabled, rules,"
                    + " log, logfile, logformat, logtime, cache, config) (the agent was not loaded; the app runs on unchanged)")),
                    app.stderr()::toString);
        }
    }

    private static List<String> agentLines(ForkedJvm app) {
        return app.stderr().stream().filter(line -> line.startsWith("[keepalive-agent]")).collect(Collectors.toList());
    }

    private static void load(long pid, String options) throws Exception {
        if (TestJvm.feature() < 9) {
            String[] arguments = options == null ? new String[] {String.valueOf(pid), TestJvm.agentJar().toString()}
                    : new String[] {String.valueOf(pid), TestJvm.agentJar().toString(), options};
            java.nio.file.Path toolsJar = TestJvm.java().getParent().getParent().resolve("lib").resolve("tools.jar");
            try (ForkedJvm loader = ForkedJvm.start(null, List.of(), List.of(toolsJar), AgentLoad.class.getName(), arguments)) {
                loader.awaitLine("LOADED", TIMEOUT);
                loader.awaitSuccess(TIMEOUT);
            }
            return;
        }
        List<String> command = new java.util.ArrayList<>(List.of(TestJvm.java().getParent().resolve("jcmd").toString(),
                String.valueOf(pid), "JVMTI.agent_load", TestJvm.agentJar().toString()));
        if (options != null) {
            command.add(options);
        }
        Command jcmd = Command.run(command);
        assertEquals(0, jcmd.exit, jcmd::toString);
    }

    /** Loads the agent into {@code app} and waits until the load has said its word on the app's standard error. */
    private static void load(ForkedJvm app, String options) throws Exception {
        long said = app.stderrLinesWith("keepalive-agent");
        load(app.pid(), options);
        app.awaitStderr("keepalive-agent", said + 1, TIMEOUT);
    }
}
