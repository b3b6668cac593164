package dev.keepaliveagent.cli;

import dev.keepaliveagent.AgentJar;
import dev.keepaliveagent.config.AgentArguments;
import dev.keepaliveagent.config.InvalidArgumentException;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import net.bytebuddy.agent.ByteBuddyAgent;

/**
 * {@code attach PID [AGENT-ARGUMENTS]}: loads the agent into a running JVM of the same user
 * through the JDK's attach API, then shows that JVM's connections as its kernel sees them.
 */
final class Attach {

    private final PrintStream out;
    private final PrintStream err;

    Attach(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] args) {
        if (args.length < 1 || args.length > 2 || args[0].isEmpty() || !args[0].chars().allMatch(Character::isDigit)) {
            err.println("keepalive-agent attach: usage: attach PID [AGENT-ARGUMENTS], e.g. attach 4242 idle=60,intvl=10,cnt=3");
            return 2;
        }
        String pid = args[0];
        String arguments = args.length == 2 ? args[1] : "";
        try {
            AgentArguments.parse(arguments);
        } catch (InvalidArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
        Path process = Paths.get("/proc", pid);
        if (!Files.isDirectory(process)) {
            err.println("keepalive-agent attach: there is no process " + pid);
            return 1;
        }
        if (!isJvm(process)) {
            err.println("keepalive-agent attach: process " + pid + " is not a JVM (no libjvm.so among its mappings),"
                    + " or belongs to another user");
            return 1;
        }
        Path jar = AgentJar.path();
        if (jar == null) {
            err.println("keepalive-agent attach: cannot tell where this jar is (" + AgentJar.url() + "); run it as java -jar keepalive-agent.jar");
            return 1;
        }
        try {
            ByteBuddyAgent.attach(jar.toFile(), pid, arguments);
        } catch (Exception e) {
            if (!loadedIntoJdk8(e)) {
                err.println("keepalive-agent attach: could not attach to JVM " + pid + ": " + rootCause(e)
                        + " (same user as the JVM? started with -XX:+DisableAttachMechanism?)");
                return 1;
            }
        }
        out.println("attached keepalive-agent to JVM " + pid + (arguments.isEmpty() ? " with its defaults" : " with " + arguments)
                + "; that JVM's log says what it did (or that it was active already)");
        out.println("connections it opens or accepts from now on are configured, and so are those already open"
                + " (its log lists them):");
        new Doctor(out).listConnections(Long.parseLong(pid));
        return 0;
    }

    /**
     * A JDK 8 JVM answers a successful load with "0", where JDK 9+ answer "return code: 0": an attach
     * client of 9+ misreads it as the failure {@code AgentLoadException: 0}.
     */
    private static boolean loadedIntoJdk8(Exception e) {
        Throwable cause = rootCause(e);
        return cause.getClass().getName().equals("com.sun.tools.attach.AgentLoadException") && "0".equals(cause.getMessage());
    }

    private static boolean isJvm(Path process) {
        try {
            for (String line : Files.readAllLines(process.resolve("maps"), StandardCharsets.UTF_8)) {
                if (line.endsWith("/libjvm.so")) {
                    return true;
                }
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static Throwable rootCause(Throwable t) {
        Throwable cause = t;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
