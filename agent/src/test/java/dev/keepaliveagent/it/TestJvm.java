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

    /** The forked JDK's feature release (8, 11, 17...), from its {@code release} file. */
    static int feature() {
        try {
            for (String line : Files.readAllLines(existing("keepalive.test.javaHome").resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    String[] parts = version.split("[._+-]");
                    return Integer.parseInt(parts[0].equals("1") ? parts[1] : parts[0]);
                }
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read the forked JDK's release file: " + e, e);
        }
        throw new IllegalStateException("no JAVA_VERSION in the forked JDK's release file");
    }

    static Path testClasses() {
        return existing("keepalive.test.classes");
    }

    static Path appLibs() {
        return existing("keepalive.app.libs");
    }

    /** The jars of Netty {@code "4.2"} or {@code "4.1"} with its native epoll (and, for 4.2, io_uring) transport. */
    static java.util.List<Path> nettyJars(String version) throws java.io.IOException {
        try (java.util.stream.Stream<Path> jars = Files.list(existing("keepalive.netty" + version.replace(".", "") + ".libs"))) {
            return jars.filter(jar -> jar.toString().endsWith(".jar")).sorted().collect(java.util.stream.Collectors.toList());
        }
    }

    /** A release of another javaagent from Maven Central: {@code opentelemetry-javaagent}, {@code dd-java-agent}... */
    static Path otherAgent(String artifactId) {
        return existing("keepalive.otherAgents").resolve(artifactId + ".jar");
    }

    /** The jmx_exporter rules file the project ships. */
    static Path prometheusRules() {
        return existing("keepalive.prometheusRules");
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
