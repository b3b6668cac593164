package dev.keepaliveagent.cli;

import dev.keepaliveagent.AgentJar;
import dev.keepaliveagent.config.AgentArguments;
import dev.keepaliveagent.config.InvalidArgumentException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * {@code attach PID [AGENT-ARGUMENTS]}: loads the agent into a running JVM of the same user
 * through the JDK's attach API, then shows that JVM's connections as its kernel sees them.
 */
final class Attach {

    /** The exit status when the agent runs in that JVM already: nothing was changed. */
    static final int ALREADY_RUNNING = 3;

    private final PrintStream out;
    private final PrintStream err;

    Attach(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] given) {
        java.util.List<String> list = new java.util.ArrayList<>(java.util.Arrays.asList(given));
        boolean otherUser = list.remove(ProcessOwner.FLAG);
        String[] args = list.toArray(new String[0]);
        if (args.length < 1 || args.length > 2 || args[0].isEmpty() || !args[0].chars().allMatch(Character::isDigit)) {
            err.println("keepalive-agent attach: usage: attach PID [AGENT-ARGUMENTS] [" + ProcessOwner.FLAG + "], e.g. attach 4242"
                    + " idle=60,intvl=10,cnt=3");
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
        String refusal = ProcessOwner.refusal(process, "attach");
        if (refusal != null && !otherUser) {
            err.println("keepalive-agent attach: " + refusal);
            return 1;
        }
        if (!JvmProcesses.isJvm(process)) {
            err.println("keepalive-agent attach: process " + pid + " is not a JVM (no libjvm.so among its mappings),"
                    + " or belongs to another user");
            return 1;
        }
        Path jar = AgentJar.path();
        if (jar == null) {
            err.println("keepalive-agent attach: cannot tell where this jar is (" + AgentJar.url() + "); run it as java -jar keepalive-agent.jar");
            return 1;
        }
        TargetJvm vm;
        try {
            vm = TargetJvm.attach(Long.parseLong(pid));
        } catch (Exception e) {
            err.println("keepalive-agent attach: could not attach to JVM " + pid + ": " + rootCause(e)
                    + " (same user as the JVM? started with -XX:+DisableAttachMechanism?)");
            return 1;
        }
        try (TargetJvm target = vm) {
            AgentStatus running = target.agentStatus();
            if (running != null) {
                err.println("keepalive-agent attach: keepalive-agent " + running.version + " already runs in JVM " + pid
                        + ", nothing changed: a running agent keeps its settings (restart the JVM to change them); in force: "
                        + running.settings);
                return ALREADY_RUNNING;
            }
            Exception loadFailure = null;
            try {
                target.loadAgent(jar.toAbsolutePath().toString(), arguments);
            } catch (Exception e) {
                // An attach client of another JDK version may misread the answer (JDK 8 answers "0" where 9+
                // answer "return code: 0"): what the agent says of itself below decides.
                loadFailure = e;
            }
            AgentStatus inForce = target.agentStatus();
            if (inForce == null) {
                err.println("keepalive-agent attach: the agent did not start in JVM " + pid
                        + (loadFailure == null ? "" : " (" + rootCause(loadFailure) + ")") + "; that JVM's standard error says why");
                return 1;
            }
            out.println("attached keepalive-agent to JVM " + pid + "; its settings in force: " + inForce.settings);
        } catch (Exception e) {
            err.println("keepalive-agent attach: lost JVM " + pid + " while loading the agent: " + rootCause(e));
            return 1;
        }
        out.println("connections it opens or accepts from now on are configured, and so are those already open"
                + " (its log lists them):");
        new Doctor(out, otherUser).listConnections(Long.parseLong(pid));
        return 0;
    }

    /** The innermost cause: what the attach API really said. */
    static Throwable rootCause(Throwable t) {
        Throwable cause = t;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
