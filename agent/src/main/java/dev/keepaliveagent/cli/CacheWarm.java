package dev.keepaliveagent.cli;

import dev.keepaliveagent.AgentJar;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code cache-warm DIR}: primes a cache of woven JDK classes for the JDK that runs the command, at
 * image build time, so that every container of the image starts warm, even on a read-only file system.
 * It starts this JDK once with the agent and {@code cache=DIR} (the classes are woven exactly as an
 * app's start would weave them), then leaves DIR readable by all and writable by its owner alone.
 */
final class CacheWarm {

    private final PrintStream out;
    private final PrintStream err;

    CacheWarm(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] args) throws IOException, InterruptedException {
        if (args.length != 1 || args[0].startsWith("-")) {
            err.println("keepalive-agent cache-warm: usage: cache-warm DIR (a directory for the cache; created if missing)");
            return 2;
        }
        Path directory = Paths.get(args[0]).toAbsolutePath().normalize();
        Path jar = agentJar();
        if (jar == null) {
            err.println("keepalive-agent cache-warm: run it from the agent jar: java -jar keepalive-agent.jar cache-warm DIR");
            return 2;
        }
        Files.createDirectories(directory);
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder weave = new ProcessBuilder(java.toString(),
                "-javaagent:" + jar + "=cache=" + directory + ",log=warn", "-cp", jar.toString(), AwaitStartUp.class.getName());
        weave.environment().remove("JAVA_TOOL_OPTIONS");
        weave.environment().remove("JDK_JAVA_OPTIONS");
        weave.redirectOutput(new java.io.File("/dev/null"));
        Path errors = Files.createTempFile("keepalive-agent-cache-warm", ".log");
        try {
            weave.redirectError(errors.toFile());
            Process process = weave.start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                err.println("keepalive-agent cache-warm: the JVM that weaves did not finish within 5 minutes");
                return 1;
            }
            String said = new String(Files.readAllBytes(errors), StandardCharsets.UTF_8).trim();
            List<Path> entries = entries(directory);
            if (process.exitValue() != 0 || !said.isEmpty() || entries.isEmpty()) {
                err.println("keepalive-agent cache-warm: could not prime " + directory + " (exit " + process.exitValue()
                        + ", " + entries.size() + " classes)" + (said.isEmpty() ? "" : ": " + said));
                return 1;
            }
            for (Path entry : entries) {
                Files.setPosixFilePermissions(entry, PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
            out.println("primed " + directory + ": " + entries.size() + " woven JDK classes for Java "
                    + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.home") + ")");
            out.println("start the app's JVM, this same JDK, with cache=" + directory + " (or KEEPALIVE_CACHE=" + directory
                    + "); the directory may then be read-only");
            return 0;
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    private static List<Path> entries(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".class")).sorted().collect(Collectors.toList());
        }
    }

    private static Path agentJar() {
        Path location = AgentJar.path();
        return location != null && Files.isRegularFile(location) ? location : null;
    }
}
