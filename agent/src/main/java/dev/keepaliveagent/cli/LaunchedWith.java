package dev.keepaliveagent.cli;

import dev.keepaliveagent.config.AgentArguments;
import dev.keepaliveagent.config.InvalidArgumentException;
import dev.keepaliveagent.proc.JvmLaunch;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What a JVM's launch ({@link JvmLaunch}, as {@code /proc} has it) says of the agent there: whether it is
 * named, and whether {@code enabled=false} switched it off. Read as text only.
 */
final class LaunchedWith {

    private final JvmLaunch launch;

    private LaunchedWith(JvmLaunch launch) {
        this.launch = launch;
    }

    static LaunchedWith of(Path process) {
        return new LaunchedWith(JvmLaunch.of(process));
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
        for (String option : launch.options) {
            int eq = option.indexOf('=');
            if (option.startsWith("-Dkeepalive.") && eq > 0) {
                properties.put(option.substring(2, eq), option.substring(eq + 1));
            }
        }
        String arguments = agentArguments();
        try {
            return AgentArguments.switchedOffBy(arguments == null ? "" : arguments, properties, launch.environment);
        } catch (InvalidArgumentException refused) {
            return null;
        }
    }

    /** The arguments of the first {@code -javaagent:} naming the agent ("" without any); null if none does. */
    private String agentArguments() {
        for (String option : launch.options) {
            if (option.startsWith("-javaagent:") && option.contains("keepalive-agent")) {
                int jar = option.indexOf(".jar");
                int eq = option.indexOf('=', jar < 0 ? 0 : jar);
                return eq < 0 ? "" : option.substring(eq + 1);
            }
        }
        return null;
    }
}
