package dev.keepaliveagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * On a JDK the agent does not serve (JDK 8), it never takes the JVM down: the app runs as without
 * it, and one WARN says what the JVM goes without; a bad argument still stops the JVM with its one
 * line; the command line says which java it needs.
 */
class UnservedJdkIT {

    private static final String APP = "dev.keepaliveagent.it8.Java8App";

    @Test
    void theAppRunsUnchangedAndOneLineSaysItHasNoKeepalive() throws Exception {
        Path java = unservedJava();
        Result plain = run(java, null, APP);
        Result withAgent = run(java, "idle=600,intvl=60,cnt=20", APP);
        assertEquals(3, plain.exit, plain::toString);
        assertEquals(List.of("hello from a Java 8 app", "server read ping", "keepalive client=false accepted=false"),
                plain.stdout, "the app itself, without the agent");
        assertEquals(plain.exit, withAgent.exit, withAgent::toString);
        assertEquals(plain.stdout, withAgent.stdout, "the app's output is unchanged; its sockets keep no keepalive");
        assertEquals(1, withAgent.stderr.size(), withAgent::toString);
        String line = withAgent.stderr.get(0);
        assertTrue(line.startsWith("[keepalive-agent] WARN: keepalive-agent 0.1.0 needs JDK 11 or later, and this is Java 1.8.0_"),
                line);
        assertTrue(line.endsWith(": the app runs on unchanged, without keepalive: no connection is configured, no dead peer"
                + " is reported, and there is no MBean and no JFR event"), line);
    }

    @Test
    void aBadArgumentStillStopsTheJvmWithOneLine() throws Exception {
        Result bad = run(unservedJava(), "intvl=0", APP);
        assertEquals(1, bad.exit, bad::toString);
        assertEquals(List.of(), bad.stdout, "the app never started");
        assertEquals(List.of("keepalive-agent: intvl=0 is out of range; expected seconds as 600, or with a unit as 90s, 10m, 2h,"
                + " 1..32767 seconds"), bad.stderr);
    }

    @Test
    void theCommandLineSaysWhichJavaItNeeds() throws Exception {
        Path java = unservedJava();
        Result doctor = command(List.of(java.toString(), "-jar", TestJvm.agentJar().toString(), "doctor"));
        assertEquals(1, doctor.exit, doctor::toString);
        assertEquals(1, doctor.stderr.size(), doctor::toString);
        assertTrue(doctor.stderr.get(0).startsWith("keepalive-agent: its commands need JDK 11 or later, and this is Java 1.8.0_"),
                doctor::toString);
    }

    /** The JDK 8 that run-tests.sh fetched; without one the tests skip, except under CI, where they must run. */
    static Path unservedJava() {
        String home = System.getProperty("keepalive.test.unservedJavaHome", "");
        Path java = Paths.get(home, "bin", "java");
        if (home.isEmpty() || !Files.isExecutable(java)) {
            String why = "no JDK the agent does not serve (-Dkeepalive.test.unservedJavaHome=" + home
                    + "; run-tests.sh fetches JDK 8 with scripts/fetch-jdks.sh)";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(why + ", and under CI=true these tests must run");
            }
            Assumptions.abort(why);
        }
        return java;
    }

    private static Result run(Path java, String agentArgs, String mainClass) throws Exception {
        List<String> command = new ArrayList<>(List.of(java.toString()));
        if (agentArgs != null) {
            command.add("-javaagent:" + TestJvm.agentJar() + "=" + agentArgs);
        }
        command.addAll(List.of("-cp", System.getProperty("keepalive.test.java8Apps"), mainClass));
        return command(command);
    }

    static Result command(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "exits");
        return new Result(process.exitValue(), lines(out), lines(err));
    }

    private static List<String> lines(String text) {
        return text.lines().collect(Collectors.toList());
    }

    static final class Result {
        final int exit;
        final List<String> stdout;
        final List<String> stderr;

        Result(int exit, List<String> stdout, List<String> stderr) {
            this.exit = exit;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        @Override
        public String toString() {
            return "exit " + exit + "\nstdout: " + stdout + "\nstderr: " + stderr;
        }
    }
}
