package dev.keepaliveagent.cli;

import dev.keepaliveagent.AgentJar;
import dev.keepaliveagent.trust.TrustedDirectory;
import dev.keepaliveagent.trust.UntrustedPathException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.LinkOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code cache-warm DIR}: primes a cache of woven JDK classes for the JDK that runs the command, at
 * image build time, so that every container of the image starts warm, even on a read-only file system.
 * It starts this JDK once with the agent and {@code cache=DIR} (the classes are woven exactly as an
 * app's start would weave them), then makes the entries readable by all. A DIR it made is left
 * readable by all and writable by its owner alone; an existing DIR must already be one the agent
 * trusts (its owner's or root's, writable by no one else, nor any directory above it), and its mode
 * is never widened; a symbolic link is refused, as the agent would refuse it.
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
        if (Files.isSymbolicLink(directory)) {
            err.println("keepalive-agent cache-warm: " + directory + " is a symbolic link; give the directory itself");
            return 2;
        }
        boolean made = !Files.exists(directory, LinkOption.NOFOLLOW_LINKS);
        TrustedDirectory trusted;
        try {
            trusted = TrustedDirectory.openMadeIfMissing(directory);
        } catch (UntrustedPathException e) {
            err.println("keepalive-agent cache-warm: the agent would not trust " + directory + ": " + e.getMessage()
                    + "; run cache-warm as the user whose JVMs use the cache, on a directory of that user's or of"
                    + " root's that no one else may write to");
            return 2;
        }
        try {
            return weave(trusted, made, jar);
        } finally {
            trusted.close();
        }
    }

    private int weave(TrustedDirectory trusted, boolean made, Path jar) throws IOException, InterruptedException {
        Path directory = trusted.path();
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
            List<String> entries = trusted.names(".class");
            if (process.exitValue() != 0 || !said.isEmpty() || entries.isEmpty()) {
                err.println("keepalive-agent cache-warm: could not prime " + directory + " (exit " + process.exitValue()
                        + ", " + entries.size() + " classes)" + (said.isEmpty() ? "" : ": " + said));
                return 1;
            }
            for (String entry : entries) {
                trusted.setPermissions(entry, "rw-r--r--");
            }
            if (made) {
                trusted.setOwnPermissions("rwxr-xr-x");
            } else if (!readableByAll(directory)) {
                out.println("note: " + directory + " is " + PosixFilePermissions.toString(Files.getPosixFilePermissions(directory))
                        + ", left as it was: only its owner's JVMs can use it (chmod 755 it to share it)");
            }
            out.println("primed " + directory + ": " + entries.size() + " woven JDK classes for Java "
                    + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.home") + ")");
            out.println("start the app's JVM, this same JDK, with cache=" + directory + " (or KEEPALIVE_CACHE=" + directory
                    + "); the directory may then be read-only");
            return 0;
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    private static boolean readableByAll(Path directory) throws IOException {
        return Files.getPosixFilePermissions(directory).containsAll(EnumSet.of(
                PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE));
    }

    private static Path agentJar() {
        Path location = AgentJar.path();
        return location != null && Files.isRegularFile(location) ? location : null;
    }
}
