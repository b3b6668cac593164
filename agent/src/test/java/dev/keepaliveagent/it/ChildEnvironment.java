package dev.keepaliveagent.it;

import java.util.Map;

/**
 * The environment every process a test starts runs with: the caller's, less what would change a JVM's
 * behaviour behind the test's back. An agent in {@code JAVA_TOOL_OPTIONS}, a {@code KEEPALIVE_IDLE} or a
 * German {@code LC_ALL} in the shell that runs the suite would otherwise reach every child; a test that
 * wants one of them says so in the environment it passes.
 */
final class ChildEnvironment {

    private ChildEnvironment() {
    }

    /** Cleans {@code environment} (a {@link ProcessBuilder}'s) in place, then adds {@code wanted}. */
    static void prepare(Map<String, String> environment, Map<String, String> wanted) {
        environment.keySet().removeIf(ChildEnvironment::changesAJvm);
        environment.put("LANG", "C.UTF-8");
        // Woven classes are cached per test run, not in the home directory of whoever runs the tests.
        environment.put("XDG_CACHE_HOME", TestJvm.cacheHome().toString());
        environment.putAll(wanted);
    }

    static boolean changesAJvm(String name) {
        return name.equals("JAVA_TOOL_OPTIONS") || name.equals("JDK_JAVA_OPTIONS") || name.equals("_JAVA_OPTIONS")
                || name.startsWith("KEEPALIVE_") || name.startsWith("LC_") || name.equals("LANGUAGE")
                || name.equals("CLASSPATH");
    }
}
