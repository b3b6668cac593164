package dev.keepaliveagent.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A command run to its end within a limit, in the tests' {@link ChildEnvironment}: its exit code and
 * lines. Its output goes to files, not pipes, so that a child that never ends cannot block the test in a
 * read: at the limit it is killed, with its own children, and the test fails with what it printed.
 */
final class Command {

    static final Duration LIMIT = Duration.ofSeconds(90);

    final int exit;
    final List<String> stdout;
    final List<String> stderr;

    private Command(int exit, List<String> stdout, List<String> stderr) {
        this.exit = exit;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static Command run(List<String> command) throws IOException, InterruptedException {
        return run(command, Map.of(), null, LIMIT);
    }

    static Command run(String... command) throws IOException, InterruptedException {
        return run(List.of(command));
    }

    /** Runs {@code command} with {@code environment} added, {@code input} (if not null) as its standard input. */
    static Command run(List<String> command, Map<String, String> environment, String input, Duration limit)
            throws IOException, InterruptedException {
        return start(command, environment, input).finish(limit);
    }

    /** Starts {@code command}, for a test that does something else while it runs; {@link Running#finish} ends it. */
    static Running start(List<String> command) throws IOException {
        return start(command, Map.of(), null);
    }

    private static Running start(List<String> command, Map<String, String> environment, String input) throws IOException {
        Path out = Files.createTempFile("command", ".out");
        Path err = Files.createTempFile("command", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        ChildEnvironment.prepare(builder.environment(), environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException notStarted) {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            throw notStarted;
        }
        try {
            process.getOutputStream().write(input == null ? new byte[0] : input.getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().close();
        } catch (IOException gone) {
            // it ended without reading: its exit code says the rest
        }
        return new Running(command, process, out, err);
    }

    /** A command started and not yet finished. */
    static final class Running {
        private final List<String> command;
        private final Process process;
        private final Path out;
        private final Path err;

        private Running(List<String> command, Process process, Path out, Path err) {
            this.command = command;
            this.process = process;
            this.out = out;
            this.err = err;
        }

        boolean isAlive() {
            return process.isAlive();
        }

        long pid() {
            return process.pid();
        }

        ProcessHandle handle() {
            return process.toHandle();
        }

        /** Waits for the command's end, at most {@code limit}: then it is killed, and the test fails with its output. */
        Command finish(Duration limit) throws IOException, InterruptedException {
            try {
                if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    kill(process.toHandle());
                    throw new AssertionError("killed after " + limit + ", still running: " + String.join(" ", command)
                            + "\nstdout: " + Files.readString(out) + "\nstderr: " + Files.readString(err));
                }
                return new Command(process.exitValue(), lines(out), lines(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        }
    }

    /** How long a process killed with SIGKILL may take to be gone (reaped), on a busy machine. */
    private static final Duration GONE = Duration.ofSeconds(10);

    /**
     * Kills {@code process} and every process it started, the children first, and returns when they are
     * gone: SIGKILL is delivered at once, but a process ends (and frees its ports and namespaces) a little
     * later, and a test that goes on meanwhile would race with it.
     */
    static void kill(ProcessHandle process) {
        List<ProcessHandle> all = process.descendants().collect(Collectors.toList());
        all.add(process);
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle each : all) {
            try {
                each.onExit().get(GONE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException notGone) {
                throw new AssertionError("pid " + each.pid() + " still running " + GONE + " after SIGKILL", notGone);
            }
            removeAttachSocketLeftBy(each.pid());
        }
    }

    /**
     * A JVM that was attached to and then killed leaves {@code /tmp/.java_pidN} behind; with pids reused
     * (pid_max 32768) a later process of another user gets N and cannot take the path in sticky /tmp.
     */
    private static void removeAttachSocketLeftBy(long pid) {
        Path socket = Path.of("/tmp/.java_pid" + pid);
        try {
            if (Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()) {
                Files.delete(socket);
            }
        } catch (NoSuchFileException none) {
            // it was never attached to, or it ended cleanly
        } catch (IOException notOurs) {
            // not this process's to remove: the next process with this pid sees it, as it would anywhere
        }
    }

    String out() {
        return stdout.stream().map(line -> line + "\n").collect(Collectors.joining());
    }

    String err() {
        return stderr.stream().map(line -> line + "\n").collect(Collectors.joining());
    }

    private static List<String> lines(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().collect(Collectors.toList());
    }

    @Override
    public String toString() {
        return "exit " + exit + "\nstdout: " + stdout + "\nstderr: " + stderr;
    }
}
