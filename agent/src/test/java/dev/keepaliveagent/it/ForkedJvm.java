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
 */
final class ForkedJvm implements AutoCloseable {

    private final Process process;
    private final BlockingQueue<String> stdoutLines = new LinkedBlockingQueue<>();
    private final List<String> stdout = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<String> stderr = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Thread[] drains;

    private ForkedJvm(Process process) {
        this.process = process;
        this.drains = new Thread[] {
            drain(process.getInputStream(), line -> {
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
        List<String> command = new ArrayList<>(prefix);
        command.add(TestJvm.java().toString());
        if (agentArgs != null) {
            command.add("-javaagent:" + TestJvm.agentJar() + (agentArgs.isEmpty() ? "" : "=" + agentArgs));
        }
        command.addAll(jvmArgs);
        StringBuilder classpath = new StringBuilder(TestJvm.testClasses().toString());
        for (Path extra : extraClasspath) {
            classpath.append(java.io.File.pathSeparator).append(extra);
        }
        command.add("-cp");
        command.add(classpath.toString());
        command.add(mainClass);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("JDK_JAVA_OPTIONS");
        // Woven classes are cached per test run, not in the home directory of whoever runs the tests.
        builder.environment().put("XDG_CACHE_HOME", TestJvm.cacheHome().toString());
        return new ForkedJvm(builder.start());
    }

    static ForkedJvm start(String agentArgs, String mainClass, String... args) throws IOException {
        return start(agentArgs, List.of(), List.of(), mainClass, args);
    }

    /** The next line the child prints that starts with {@code prefix}; fails after {@code timeout}. */
    String awaitLine(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? stdoutLines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                throw new AssertionError("no line starting with '" + prefix + "' within " + timeout
                        + "; alive=" + process.isAlive() + "\nstdout: " + stdout + "\nstderr: " + stderr);
            }
            if (line.startsWith(prefix)) {
                return line;
            }
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
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("the child JVM did not exit within " + timeout
                    + "\nstdout: " + stdout + "\nstderr: " + stderr);
        }
        for (Thread drain : drains) {
            drain.join(5_000);
        }
        return process.exitValue();
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

    @Override
    public void close() {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
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
