package dev.keepaliveagent.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Where the integration tests find the agent jar, the JVM to fork and the scenario classes. */
final class TestJvm {

    private TestJvm() {
    }

    static Path agentJar() {
        return existing("keepalive.agent.jar");
    }

    /** The forked JVM: {@code -Dkeepalive.test.javaHome=/usr/lib/jvm/temurin-25-jdk-amd64} runs the suite on JDK 25. */
    static Path java() {
        return existing("keepalive.test.javaHome").resolve("bin").resolve("java");
    }

    static Path testClasses() {
        return existing("keepalive.test.classes");
    }

    static Path appLibs() {
        return existing("keepalive.app.libs");
    }

    /** {@code $XDG_CACHE_HOME} of the forked JVMs: under target/, so each build starts with no cache. */
    static Path cacheHome() {
        return agentJar().getParent().resolve("it-cache-home");
    }

    private static Path existing(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is not set; run the integration tests with mvn verify");
        }
        Path path = Paths.get(value);
        if (!Files.exists(path)) {
            throw new IllegalStateException(property + "=" + value + " does not exist");
        }
        return path;
    }
}
