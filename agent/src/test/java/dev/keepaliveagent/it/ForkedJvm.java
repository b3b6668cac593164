package dev.keepaliveagent.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM started for a test: output drained on threads of its own, lines readable with a
 * timeout, killed (forcibly, with its children) on close.
 *
 * <p>Every child is checked when it exits and again on close: an error the agent swallowed (its
 * "internal error" line, an ERROR line, a missing hook point, or a non-zero count of suppressed
 * errors reported by {@link ScenarioLauncher}) fails the test, whatever the test itself asserts; this holds for an
 * agent loaded at start-up and for one attached later.
 */
final class ForkedJvm implements AutoCloseable {

    private final Process process;
    /** The agent's log file, where its arguments name one; null where it logs to stderr. */
    private final Path agentLog;
    private final List<String> launcherReports = java.util.Collections.synchronizedList(new ArrayList<>());
    private final BlockingQueue<String> stdoutLines = new LinkedBlockingQueue<>();
    private final List<String> stdout = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<String> stderr = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Thread[] drains;
    private final boolean startedWithAgent;
    /** Lines of the agent's that would fail the test, but that this test provokes on purpose and checks itself. */
    private final List<String> provoked = java.util.Collections.synchronizedList(new ArrayList<>());

    /**
     * The client compiler only: a child's start costs about 0.5 s of CPU instead of 0.8 s (measured with the
     * agent on JDK 17), and on two cores shared by the classes running side by side that is most of a pass's
     * time. What the agent does to sockets does not depend on the JIT.
     */
    static final String QUICK_START = "-XX:TieredStopAtLevel=1";

    private ForkedJvm(Process process, boolean startedWithAgent, Path agentLog) {
        this.process = process;
        this.startedWithAgent = startedWithAgent;
        this.agentLog = agentLog;
        this.drains = new Thread[] {
            drain(process.getInputStream(), line -> {
                if (line.startsWith(ScenarioLauncher.REPORT)) {
                    launcherReports.add(line.substring(ScenarioLauncher.REPORT.length()));
                    return;
                }
                stdout.add(line);
                stdoutLines.add(line);
            }),
            drain(process.getErrorStream(), stderr::add),
        };
    }

    /** Starts {@code java [jvmArgs] -cp test-classes[:extra] mainClass args}, with the agent when {@code agentArgs} is not null. */
    static ForkedJvm start(String agentArgs, List<String> jvmArgs, List<Path> extraClasspath, String mainClass, String... args)
            throws IOException {
        return startIn(List.of(), agentArgs, jvmArgs, extraClasspath, mainClass, args);
    }

    /** As {@link #start}, the command prefixed by {@code prefix} (e.g. {@code ip netns exec NS}). */
    static ForkedJvm startIn(List<String> prefix, String agentArgs, List<String> jvmArgs, List<Path> extraClasspath,
                             String mainClass, String... args) throws IOException {
        return startIn(java.util.Map.of(), prefix, agentArgs, jvmArgs, extraClasspath, mainClass, args);
    }

    /** As {@link #startIn}, with {@code environment} added to the child's (a locale, say). */
    static ForkedJvm startIn(java.util.Map<String, String> environment, List<String> prefix, String agentArgs,
                             List<String> jvmArgs, List<Path> extraClasspath, String mainClass, String... args)
            throws IOException {
        return start(TestJvm.java(), environment, prefix, agentArgs, jvmArgs, extraClasspath, mainClass, args);
    }

    /**
     * A tool an operator runs beside the app (a JMX probe, say), on the JDK the tests run on, whatever the
     * forked app's: attach and JMX work across JDK versions, as jconsole's do.
     */
    static ForkedJvm startToolIn(List<String> prefix, String mainClass, String... args) throws IOException {
        return start(java.nio.file.Paths.get(System.getProperty("java.home"), "bin", "java"), java.util.Map.of(), prefix,
                null, List.of(), List.of(), mainClass, args);
    }

    private static ForkedJvm start(Path javaCommand, java.util.Map<String, String> environment, List<String> prefix, String agentArgs,
                                   List<String> jvmArgs, List<Path> extraClasspath, String mainClass, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.add(javaCommand.toString());
        command.add(QUICK_START);
        if (agentArgs != null) {
            command.add("-javaagent:" + TestJvm.agentJar() + (agentArgs.isEmpty() ? "" : "=" + agentArgs));
            command.add(ScenarioLauncher.AWAIT);
        }
        command.addAll(jvmArgs);
        StringBuilder classpath = new StringBuilder(TestJvm.testClasses().toString());
        for (Path extra : extraClasspath) {
            classpath.append(java.io.File.pathSeparator).append(extra);
        }
        command.add("-cp");
        command.add(classpath.toString());
        command.add(ScenarioLauncher.class.getName());
        command.add(mainClass);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        ChildEnvironment.prepare(builder.environment(), environment);
        ForkedJvm child = new ForkedJvm(builder.start(), agentArgs != null, logFileOf(agentArgs));
        LiveChildren.started(child);
        return child;
    }

    static ForkedJvm start(String agentArgs, String mainClass, String... args) throws IOException {
        return start(agentArgs, List.of(), List.of(), mainClass, args);
    }

    /** The next line the child prints that starts with {@code prefix}; fails after {@code timeout}. */
    String awaitLine(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            // In slices, so that a child whose output has ended fails the test now, not at the deadline.
            String line = left > 0 ? stdoutLines.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)), TimeUnit.NANOSECONDS) : null;
            boolean outputEnded = line == null && !drains[0].isAlive() && stdoutLines.isEmpty();
            if (line == null && (left <= 0 || outputEnded)) {
                throw new AssertionError("no line starting with '" + prefix + "' " + (outputEnded ? "before the JVM's output ended"
                        : "within " + timeout) + "; alive=" + process.isAlive() + "\nstdout: " + stdout + "\nstderr: " + stderr);
            }
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
        }
    }

    /** The first line on standard error that contains {@code text}; fails after {@code timeout}. */
    String awaitStderr(String text, Duration timeout) throws InterruptedException {
        return awaitStderr(text, 1, timeout);
    }

    /** The {@code nth} line (from 1) on standard error that contains {@code text}; fails after {@code timeout}. */
    String awaitStderr(String text, long nth, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (stderr) {
                long seen = 0;
                for (String line : stderr) {
                    if (line.contains(text) && ++seen == nth) {
                        return line;
                    }
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no line " + (nth == 1 ? "" : "number " + nth + " ") + "containing '" + text
                + "' on standard error within " + timeout + "; alive=" + process.isAlive() + "\nstdout: " + stdout
                + "\nstderr: " + stderr);
    }

    /** How many lines on standard error so far contain {@code text}. */
    long stderrLinesWith(String text) {
        synchronized (stderr) {
            return stderr.stream().filter(line -> line.contains(text)).count();
        }
    }

    /** Whether a line starting with {@code prefix} has been printed so far (without waiting). */
    boolean printed(String prefix) {
        synchronized (stdout) {
            return stdout.stream().anyMatch(line -> line.startsWith(prefix));
        }
    }

    /** Sends one line to the child's standard input, leaving it open. */
    void send(String line) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Tells the child to finish (scenarios wait for a line or end of their standard input). */
    void release() throws IOException {
        OutputStream in = process.getOutputStream();
        in.write('\n');
        in.close();
    }

    /** Waits for the child to exit and returns its exit code; kills it after {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            Command.kill(process.toHandle());
            throw new AssertionError("the child JVM did not exit within " + timeout
                    + "\nstdout: " + stdout + "\nstderr: " + stderr);
        }
        for (Thread drain : drains) {
            drain.join(5_000);
        }
        assertAgentHealthy();
        return process.exitValue();
    }

    /**
     * Waits for the child to exit and requires that the scenario's {@code main} returned and the JVM
     * exited with 0: a scenario that could not even run passes no comparison of outputs.
     */
    ForkedJvm awaitSuccess(Duration timeout) throws InterruptedException {
        int exit = awaitExit(timeout);
        if (exit != 0 || !mainReturned()) {
            throw new AssertionError("the scenario did not succeed: exit code " + exit + ", "
                    + (mainReturned() ? "" : "its main did not return, ") + launcherReports
                    + "\nstdout: " + stdout + "\nstderr: " + stderr);
        }
        return this;
    }

    /**
     * A line containing {@code text} is one the test provokes on purpose (and checks itself): it does not
     * count as the agent failing. Say why at the call.
     */
    void provokes(String text) {
        provoked.add(text);
    }

    private boolean isProvoked(String line) {
        synchronized (provoked) {
            return provoked.stream().anyMatch(line::contains);
        }
    }

    /** The agent's errors, swallowed so that the app never saw them, fail the test here. */
    private void assertAgentHealthy() {
        List<String> problems = new ArrayList<>();
        synchronized (stderr) {
            stderr.stream().filter(ForkedJvm::isAgentFailure).filter(line -> !isProvoked(line)).forEach(problems::add);
        }
        synchronized (stdout) {
            stdout.stream().filter(ForkedJvm::isAgentFailure).forEach(problems::add);
        }
        synchronized (launcherReports) {
            for (String report : launcherReports) {
                if (startedWithAgent && report.endsWith("suppressed=-1")) {
                    problems.add("started with -javaagent, yet the agent's switchboard is not there, " + report);
                } else if (!report.endsWith("suppressed=0") && !report.endsWith("suppressed=-1")) {
                    problems.add("the agent's count of swallowed errors, " + report);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("the agent failed inside the child JVM (the app did not see it, the test must): "
                    + problems + "\nstdout: " + stdout + "\nstderr: " + stderr + agentLogLines());
        }
    }

    /** The agent's {@code logfile=}, where the arguments name one: what it swallowed is written there, not to stderr. */
    private static Path logFileOf(String agentArgs) {
        if (agentArgs == null) {
            return null;
        }
        for (String argument : agentArgs.split(",")) {
            if (argument.startsWith("logfile=")) {
                return Path.of(argument.substring("logfile=".length()));
            }
        }
        return null;
    }

    private String agentLogLines() {
        if (agentLog == null) {
            return "";
        }
        try {
            return "\nthe agent's log file " + agentLog + ": " + java.nio.file.Files.readAllLines(agentLog);
        } catch (IOException | RuntimeException e) {
            return "\nthe agent's log file " + agentLog + " cannot be read: " + e;
        }
    }

    /**
     * An error the agent swallowed, a failure to start, a hook point it expected on this JDK and did not
     * find, or a first connection of a kind that the kernel showed without what the agent set.
     */
    static boolean isAgentFailure(String line) {
        if (isRefusal(line)) {
            return false; // an ERROR, but the agent's answer to bad arguments, which the test that gave them checks
        }
        if (line.startsWith("{") && line.contains("\"logger\":\"keepalive-agent\"")) {
            return line.contains("\"level\":\"ERROR\"") || isFailureText(line);
        }
        return line.contains("[keepalive-agent] ") && (line.contains(" ERROR: ") || isFailureText(line));
    }

    private static boolean isRefusal(String line) {
        return line.contains("\"event\":\"keepalive.BadArgument\"") || line.startsWith("[keepalive-agent] ERROR: ")
                && (line.endsWith(" (the app was not started)") || line.endsWith(" (the agent was not loaded; the app runs on unchanged)"));
    }

    private static boolean isFailureText(String text) {
        return text.contains("internal error") || text.contains("instrumentation target ")
                || text.contains("the kernel does not have what the agent set");
    }

    /** Whether the scenario's {@code main} returned (before an exit, or before the JVM went on with other threads). */
    boolean mainReturned() {
        synchronized (launcherReports) {
            return launcherReports.stream().anyMatch(report -> report.startsWith(ScenarioLauncher.MAIN_RETURNED));
        }
    }

    long pid() {
        return process.pid();
    }

    List<String> stdout() {
        return List.copyOf(stdout);
    }

    List<String> stderr() {
        return List.copyOf(stderr);
    }

    /** Kills the child if it still runs; fails if the agent wrote of an error it swallowed meanwhile. */
    @Override
    public void close() {
        kill();
        assertAgentHealthy();
    }

    /** Kills the child and its own children if they still run. */
    void kill() {
        if (process.isAlive()) {
            Command.kill(process.toHandle());
        }
    }

    /** What the child printed so far, for a test that failed or ran out of time. */
    String transcript() {
        return "child JVM " + process.pid() + (process.isAlive() ? " (still running)" : " (exit " + process.exitValue() + ")")
                + "\nstdout: " + stdout + "\nstderr: " + stderr;
    }

    private static Thread drain(InputStream stream, java.util.function.Consumer<String> sink) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    sink.accept(line);
                }
            } catch (IOException ignored) {
                // the child is gone
            }
        }, "drain");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
