package dev.keepaliveagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A fleet's settings meet a team's: the platform puts the agent and its defaults into
 * {@code JAVA_TOOL_OPTIONS}, a team overrides one for its JVM or switches the agent off there; and the
 * JDK's tools and this jar's commands, which {@code JAVA_TOOL_OPTIONS} reaches too, run whatever it holds.
 */
class FleetSettingsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static Map<String, String> fleet(String agentArguments) {
        return Map.of("JAVA_TOOL_OPTIONS", "-javaagent:" + TestJvm.agentJar() + "=" + agentArguments);
    }

    @Test
    void aTeamsOwnSettingWinsOverTheFleetsWithOneWarningNamingBoth() throws Exception {
        try (ForkedJvm child = ForkedJvm.startIn(fleet("idle=600,intvl=60,cnt=20"), List.of(), null,
                List.of("-Dkeepalive.idle=30", ScenarioLauncher.AWAIT), List.of(), ConnectionScenario.class.getName(),
                "socket-constructor")) {
            SocketLine tested = SocketLine.parse(child.awaitLine("SOCKET tested", TIMEOUT));
            child.awaitLine("READY", TIMEOUT);
            assertEquals(List.of(true, 30, 60, 20), List.of(tested.keepalive, tested.idle, tested.intvl, tested.cnt), tested::toString);
            KernelView kernel = KernelView.of(tested.localPort, tested.remotePort).orElseThrow();
            assertTrue(kernel.keepaliveTimerRunning() && kernel.secondsToNextProbe() <= 30, kernel::toString);
            child.release();
            child.awaitSuccess(TIMEOUT);
            List<String> lines = agentLines(child);
            assertEquals(List.of("[keepalive-agent] WARN: idle=600 (the agent arguments) is overridden by idle=30"
                    + " (-Dkeepalive.idle): the place nearer the JVM wins (-Dkeepalive.*, then KEEPALIVE_*, then the agent"
                    + " arguments, then the config file); remove one of the two and this line goes away"),
                    lines.stream().filter(line -> line.contains(" WARN: ")).collect(Collectors.toList()));
            assertTrue(lines.stream().anyMatch(line -> line.contains(": idle=30s (-Dkeepalive.idle) intvl=60s (args) cnt=20 (args)")),
                    lines::toString);
        }
    }

    @Test
    void enabledFalseSwitchesABrokenFleetSettingOffForOneJvm() throws Exception {
        Map<String, String> broken = fleet("idle=0,intvl=60");
        Command stopped = Command.run(List.of(TestJvm.java().toString(), "-cp", TestJvm.testClasses().toString(),
                ScenarioLauncher.class.getName(), HelloApp.class.getName()), broken, null, TIMEOUT);
        assertNotEquals(3, stopped.exit, "without the switch, the fleet's idle=0 stops the JVM before main: " + stopped);
        assertTrue(stopped.err().contains("[keepalive-agent] ERROR: idle=0 is out of range"), stopped::toString);

        Map<String, String> byVariable = new HashMap<>(broken);
        byVariable.put("KEEPALIVE_ENABLED", "false");
        assertSwitchedOff(byVariable, List.of(), "KEEPALIVE_ENABLED");
        assertSwitchedOff(broken, List.of("-Dkeepalive.enabled=false"), "-Dkeepalive.enabled");
    }

    private static void assertSwitchedOff(Map<String, String> environment, List<String> jvmArgs, String by) throws Exception {
        try (ForkedJvm child = ForkedJvm.startIn(environment, List.of(), null, jvmArgs, List.of(),
                ConnectionScenario.class.getName(), "socket-constructor")) {
            SocketLine tested = SocketLine.parse(child.awaitLine("SOCKET tested", TIMEOUT));
            child.awaitLine("READY", TIMEOUT);
            assertFalse(tested.keepalive, tested::toString);
            KernelView kernel = KernelView.of(tested.localPort, tested.remotePort).orElseThrow();
            assertFalse(kernel.keepaliveTimerRunning(), kernel::toString);
            Command doctor = Command.run(List.of(TestJvm.java().toString(), "-jar", TestJvm.agentJar().toString(), "doctor",
                    String.valueOf(child.pid())), Map.of(), null, TIMEOUT);
            assertTrue(doctor.stdout.contains("keepalive-agent in process " + child.pid() + ": named by its -javaagent, but switched"
                    + " off there (enabled=false from " + by + "): its connections have what the app set"), doctor::toString);
            child.release();
            child.awaitSuccess(TIMEOUT);
            assertEquals(List.of("[keepalive-agent] INFO: keepalive-agent is off in this JVM (enabled=false from " + by + "):"
                    + " nothing is hooked and no other setting was read; connections keep the system's keepalive"),
                    agentLines(child));
        }
    }

    @Test
    void theJdksToolsAndThisJarsCommandsRunUnderABrokenFleetSetting() throws Exception {
        Map<String, String> broken = fleet("idle=0");
        Path bin = TestJvm.java().getParent();
        String agentJar = TestJvm.agentJar().toString();
        for (List<String> command : List.of(List.of(bin.resolve("jps").toString(), "-l"), List.of(bin.resolve("jcmd").toString(), "-l"),
                List.of(TestJvm.java().toString(), "-jar", agentJar, "--version"), List.of(TestJvm.java().toString(), "-jar", agentJar))) {
            Command ran = Command.run(command, broken, null, TIMEOUT);
            assertEquals(0, ran.exit, ran::toString);
            assertFalse(ran.out().contains("[keepalive-agent]") || ran.err().contains("[keepalive-agent]"),
                    () -> "the agent stays out of " + command + ": " + ran);
        }
    }

    /** kubectl exec … doctor under the Kubernetes patch: its JDK_JAVA_OPTIONS reach doctor's own JVM (JDK 9+). */
    @Test
    void doctorUnderThePatchsJdkJavaOptionsRunsWithoutTheAgentInItsOwnJvm() throws Exception {
        Map<String, String> patched = Map.of("JDK_JAVA_OPTIONS", "-javaagent:" + TestJvm.agentJar() + "=logformat=json",
                "KEEPALIVE_LOGFORMAT", "json");
        Command doctor = Command.run(List.of(TestJvm.java().toString(), "-jar", TestJvm.agentJar().toString(), "doctor"),
                patched, null, TIMEOUT);
        assertEquals(0, doctor.exit, doctor::toString);
        assertTrue(doctor.out().startsWith("kernel (/proc/sys/net/ipv4)"), doctor::toString);
        assertFalse(doctor.out().contains("keepalive-agent\",") || doctor.err().contains("\"logger\":\"keepalive-agent\""),
                () -> "no line of an agent in doctor's own JVM: " + doctor);
    }

    private static List<String> agentLines(ForkedJvm child) {
        return child.stderr().stream().filter(line -> line.startsWith("[keepalive-agent]")).collect(Collectors.toList());
    }
}
