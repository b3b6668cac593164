package dev.keepaliveagent.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** A command run to its end (at most a minute), without the environment's JAVA_TOOL_OPTIONS: its exit code and lines. */
final class Command {

    final int exit;
    final List<String> stdout;
    final List<String> stderr;

    private Command(int exit, List<String> stdout, List<String> stderr) {
        this.exit = exit;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static Command run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "exits");
        return new Command(process.exitValue(), lines(out), lines(err));
    }

    private static List<String> lines(String text) {
        return text.lines().collect(Collectors.toList());
    }

    @Override
    public String toString() {
        return "exit " + exit + "\nstdout: " + stdout + "\nstderr: " + stderr;
    }
}
