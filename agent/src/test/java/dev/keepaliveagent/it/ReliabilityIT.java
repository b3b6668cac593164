package dev.keepaliveagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keepaliveagent.it.AgentBehaviourIT.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent never breaks the app: under load, under faults, and with every byte accounted for. */
class ReliabilityIT {

    private static final Duration LONG = Duration.ofMinutes(5);

    @Test
    void fiftyThreadsMakingFiveThousandConnectionsAreAllConfigured() throws Exception {
        try (ForkedJvm child = ForkedJvm.start("idle=777", StressScenario.class.getName(), "concurrency", "50", "5000", "777")) {
            child.awaitSuccess(LONG);
            assertTrue(child.stdout().contains("CONNECTIONS 5000 MISCONFIGURED 0 ERRORS 0"), () -> child.stdout().toString());
            assertTrue(child.stdout().contains("SUPPRESSED 0"), () -> child.stdout().toString());
            assertEquals(List.of(), agentProblems(child.stderr()));
        }
    }

    @Test
    void socketsClosedWhileTheAgentConfiguresThemAreNoProblem() throws Exception {
        try (ForkedJvm child = ForkedJvm.start("log=debug", StressScenario.class.getName(), "close-race", "2000")) {
            child.awaitSuccess(LONG);
            assertTrue(child.stdout().stream().anyMatch(line -> line.startsWith("CLOSE-RACE 2000 ") && line.endsWith("ERRORS 0")),
                    () -> child.stdout().toString());
            long closedWhileConfiguring = child.stderr().stream()
                    .filter(line -> line.contains(") while the agent configured it: nothing left to configure")).count();
            long configured = child.stderr().stream().filter(line -> line.contains("DEBUG: configured the connection")).count();
            System.out.println("close race: " + closedWhileConfiguring + " of 2000 closes landed while the agent configured"
                    + " the socket; " + configured + " connections configured in full");
            assertTrue(closedWhileConfiguring > 0, "the race this test is about never happened: " + configured
                    + " connections configured in full, none closed meanwhile");
            assertEquals(List.of(), agentProblems(child.stderr()).stream().filter(line -> !line.contains(" DEBUG: "))
                    .collect(Collectors.toList()));
        }
    }

    @Test
    void aHundredMegabytesComeBackIdenticalWithAndWithoutTheAgent() throws Exception {
        List<String> plain = echo(null);
        List<String> withAgent = echo("idle=5,intvl=1,cnt=2");
        assertTrue(plain.get(0).startsWith("ECHO "), plain::toString);
        assertTrue(plain.get(0).contains("/26214400"), "25 MB per connection: " + plain);
        assertEquals(plain.get(0), withAgent.get(0), "identical checksums");
        assertEquals(plain.stream().filter(l -> !l.startsWith("SUPPRESSED")).collect(Collectors.toList()),
                withAgent.stream().filter(l -> !l.startsWith("SUPPRESSED")).collect(Collectors.toList()),
                "identical app output");
    }

    @Test
    void aLogFileThatCannotBeWrittenFallsBackToStandardError() throws Exception {
        Run plain = Run.of(null, List.of(), HelloApp.class.getName());
        Run withAgent = Run.of("logfile=/proc/no-such-dir/agent.log", List.of(), HelloApp.class.getName());
        assertHelloAppRan(plain);
        assertEquals(plain.exitCode, withAgent.exitCode);
        assertEquals(plain.stdout, withAgent.stdout);
        List<String> agentLines = withAgent.stderr.stream().filter(l -> l.startsWith("[keepalive-agent]"))
                .collect(Collectors.toList());
        assertEquals(2, agentLines.size(), agentLines::toString);
        assertTrue(agentLines.get(0).startsWith("[keepalive-agent] WARN: cannot write the log file /proc/no-such-dir/agent.log ("),
                agentLines.get(0));
        assertTrue(agentLines.get(0).endsWith("); logging to standard error instead"), agentLines.get(0));
    }

    /** A log file has no one else to stamp its lines: each starts with its time, unless logtime=off. */
    @Test
    void aLogFileGetsTheLinesInsteadOfStandardErrorEachWithItsTime(@TempDir Path temp) throws Exception {
        Path log = temp.resolve("agent.log");
        Run withAgent = Run.of("logfile=" + log, List.of(), HelloApp.class.getName());
        assertHelloAppRan(withAgent);
        assertEquals(List.of("the app's own stderr line"), withAgent.stderr);
        List<String> lines = Files.readAllLines(log);
        assertEquals(1, lines.size(), lines::toString);
        assertTrue(lines.get(0).matches(STAMP + "\\[keepalive-agent\\] INFO: keepalive-agent 0\\.1\\.0 .*"), lines.get(0));

        Path unstamped = temp.resolve("unstamped.log");
        assertHelloAppRan(Run.of("logfile=" + unstamped + ",logtime=off", List.of(), HelloApp.class.getName()));
        assertTrue(Files.readAllLines(unstamped).get(0).startsWith("[keepalive-agent] INFO: keepalive-agent " + TestJvm.VERSION));
    }

    /** The lines after start-up are tinylog's: stamped the same way, here with every connection's debug line. */
    @Test
    void linesWrittenAfterStartUpCarryTheSameTime(@TempDir Path temp) throws Exception {
        Path log = temp.resolve("agent.log");
        try (ForkedJvm child = ForkedJvm.start("logfile=" + log + ",log=debug", StressScenario.class.getName(), "echo", "3")) {
            child.awaitSuccess(LONG);
        }
        List<String> lines = Files.readAllLines(log);
        assertTrue(lines.stream().filter(l -> l.contains("] DEBUG: configured the connection with")).count() >= 3, lines::toString);
        for (String line : lines) {
            assertTrue(line.matches(STAMP + "\\[keepalive-agent\\] (INFO|DEBUG): .*"), line);
        }
    }

    /** 2026-12-04T01:36:20.123Z, or with the zone's offset. */
    private static final String STAMP = "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}(Z|[+-][0-9]{2}:[0-9]{2}) ";

    @Test
    void aCacheDirectoryThatCannotBeUsedOnlyCostsTime() throws Exception {
        Run plain = Run.of(null, List.of(), HelloApp.class.getName());
        Run withAgent = Run.of("cache=/proc/no-such-dir/cache", List.of(), HelloApp.class.getName());
        assertHelloAppRan(plain);
        assertEquals(plain.exitCode, withAgent.exitCode);
        assertEquals(plain.stdout, withAgent.stdout);
        assertTrue(withAgent.stderr.get(0).startsWith("[keepalive-agent] INFO: no cache of woven classes (/proc/no-such-dir/cache"),
                withAgent.stderr::toString);
        assertTrue(withAgent.stderr.get(1).contains(" JDK methods hooked ("), withAgent.stderr::toString);
    }

    private static List<String> echo(String agentArgs) throws Exception {
        try (ForkedJvm child = ForkedJvm.start(agentArgs, StressScenario.class.getName(), "echo", "100")) {
            return child.awaitSuccess(LONG).stdout();
        }
    }

    /** What HelloApp does when it runs at all: the comparisons above mean nothing otherwise. */
    private static void assertHelloAppRan(Run run) {
        assertEquals(3, run.exitCode, () -> String.join("\n", run.stderr));
        assertEquals(List.of("hello from the app", "server read ping"), run.stdout);
    }

    /** Agent lines other than the start-up line: warnings, errors, anything unexpected. */
    private static List<String> agentProblems(List<String> stderr) {
        return stderr.stream().filter(line -> line.startsWith("[keepalive-agent]") && !line.contains(" INFO: keepalive-agent "))
                .collect(Collectors.toList());
    }
}
