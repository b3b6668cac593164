package dev.keepaliveagent.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How a JVM was started, as text: its options (its command line, then those of the variables the JVM
 * reads besides, where a Kubernetes pod names the agents) and its environment.
 */
public final class JvmLaunch {

    private static final String[] OPTION_VARIABLES = {"JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS"};

    public final List<String> options;
    public final Map<String, String> environment;

    private JvmLaunch(List<String> commandLine, Map<String, String> environment) {
        List<String> all = new ArrayList<>(commandLine);
        for (String name : OPTION_VARIABLES) {
            String value = environment.get(name);
            if (value != null) {
                Collections.addAll(all, value.trim().split("\\s+"));
            }
        }
        this.options = Collections.unmodifiableList(all);
        this.environment = environment;
    }

    /** Another process, from its {@code /proc/PID/cmdline} and {@code environ}; empty where unreadable. */
    public static JvmLaunch of(Path process) {
        Map<String, String> environment = new HashMap<>();
        for (String variable : split(process.resolve("environ"))) {
            int eq = variable.indexOf('=');
            if (eq > 0) {
                environment.put(variable.substring(0, eq), variable.substring(eq + 1));
            }
        }
        return new JvmLaunch(split(process.resolve("cmdline")), environment);
    }

    /** This JVM: its command line where {@code /proc} has it, its environment as it sees it. */
    public static JvmLaunch ofThisJvm() {
        return new JvmLaunch(split(java.nio.file.Paths.get("/proc/self/cmdline")), System.getenv());
    }

    private static List<String> split(Path file) {
        try {
            List<String> parts = new ArrayList<>();
            Collections.addAll(parts, new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\0"));
            return parts;
        } catch (IOException | RuntimeException unreadable) {
            return Collections.emptyList(); // not Linux, or another user's process
        }
    }
}
