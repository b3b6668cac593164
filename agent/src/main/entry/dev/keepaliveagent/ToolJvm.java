package dev.keepaliveagent;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The JVMs a fleet's {@code JAVA_TOOL_OPTIONS} reaches that are no app: the JDK's own tools ({@code jcmd},
 * {@code jps}, {@code jstack}, {@code keytool}...) and this jar's commands ({@code doctor}, {@code attach}).
 * The agent stays out of them, silently: they need no keepalive, their output must stay theirs, and a
 * broken agent argument must never stop the very tools an operator uses to look into the fleet.
 */
final class ToolJvm {

    /** Where JDK 8's tools live: tools.jar and rt.jar (from 9 on, the module says it). */
    private static final String[] JDK8_TOOL_PACKAGES = {
        "sun.tools.", "com.sun.tools.", "sun.security.tools.", "sun.jvm.hotspot.", "jdk.jfr.internal.tool.",
    };

    private ToolJvm() {
    }

    static boolean isThisOne() {
        return isOne(System.getProperty("sun.java.command"), AgentJar.path());
    }

    /**
     * {@code command}: the launcher's {@code sun.java.command}, the main class (as {@code module/class}
     * from JDK 9 on) or the {@code -jar} file, then the program's arguments.
     */
    static boolean isOne(String command, Path agentJar) {
        if (command == null || command.trim().isEmpty()) {
            return false;
        }
        String main = command.trim().split(" ", 2)[0];
        int slash = main.indexOf('/');
        if (slash > 0 && !main.endsWith(".jar")) {
            String module = main.substring(0, slash);
            return module.startsWith("jdk.") || module.startsWith("java.");
        }
        if (main.equals(AgentEntry.class.getName())) {
            return true;
        }
        for (String tools : JDK8_TOOL_PACKAGES) {
            if (main.startsWith(tools)) {
                return true;
            }
        }
        return main.endsWith(".jar") && agentJar != null && sameFile(new File(main), agentJar.toFile());
    }

    private static boolean sameFile(File launched, File agent) {
        try {
            return launched.getCanonicalFile().equals(agent.getCanonicalFile());
        } catch (IOException | SecurityException unreadable) {
            return false;
        }
    }
}
