package dev.keepaliveagent.cli;

import dev.keepaliveagent.config.AgentArguments;
import dev.keepaliveagent.config.InvalidArgumentException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How a JVM was started, as {@code /proc} has it: its options (its command line, and the
 * {@code JAVA_TOOL_OPTIONS} and {@code JDK_JAVA_OPTIONS} of its environment, which in a Kubernetes pod
 * are where the agent is named) and its environment. Read as text only.
 */
final class LaunchedWith {

    private final List<String> options = new ArrayList<>();
    private final Map<String, String> environment = new HashMap<>();

    private LaunchedWith(Path process) {
        for (String argument : read(process.resolve("cmdline")).split("\0")) {
            options.add(argument);
        }
        for (String variable : read(process.resolve("environ")).split("\0")) {
            int eq = variable.indexOf('=');
            if (eq > 0) {
                environment.put(variable.substring(0, eq), variable.substring(eq + 1));
            }
        }
        for (String name : new String[] {"JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS"}) {
            if (environment.containsKey(name)) {
                for (String option : environment.get(name).trim().split("\\s+")) {
                    options.add(option);
                }
            }
        }
    }

    static LaunchedWith of(Path process) {
        return new LaunchedWith(process);
    }

    /** Whether a {@code -javaagent:} names the agent. */
    boolean namesTheAgent() {
        return agentArguments() != null;
    }

    /**
     * Where {@code enabled=false} switched the agent off there, as the agent itself reads it; null where
     * it does not (an unreadable value would have stopped that JVM).
     */
    String switchedOffBy() {
        Map<String, String> properties = new HashMap<>();
        for (String option : options) {
            int eq = option.indexOf('=');
            if (option.startsWith("-Dkeepalive.") && eq > 0) {
                properties.put(option.substring(2, eq), option.substring(eq + 1));
            }
        }
        String arguments = agentArguments();
        try {
            return AgentArguments.switchedOffBy(arguments == null ? "" : arguments, properties, environment);
        } catch (InvalidArgumentException refused) {
            return null;
        }
    }

    /** The arguments of the first {@code -javaagent:} naming the agent ("" without any); null if none does. */
    private String agentArguments() {
        for (String option : options) {
            if (option.startsWith("-javaagent:") && option.contains("keepalive-agent")) {
                int jar = option.indexOf(".jar");
                int eq = option.indexOf('=', jar < 0 ? 0 : jar);
                return eq < 0 ? "" : option.substring(eq + 1);
            }
        }
        return null;
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException | SecurityException e) {
            return "";
        }
    }
}
