package dev.keepaliveagent.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Where the integration tests find the agent jar, the JVM to fork and the scenario classes. */
final class TestJvm {

    private TestJvm() {
    }

    /** {@code java -jar keepalive-agent.jar ARGUMENTS} on the JDK under test, run to its end. */
    static Command agentCommand(String... arguments) throws java.io.IOException, InterruptedException {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(java().toString(), "-jar",
                agentJar().toString()));
        command.addAll(java.util.List.of(arguments));
        return Command.run(command);
    }

    /** The version the jar reports everywhere: the POM's, the one place it is written (agent/pom.xml: failsafe). */
    static final String VERSION = System.getProperty("keepalive.version", "(not run by Maven)");

    static Path agentJar() {
        return existing("keepalive.agent.jar");
    }

    /** The forked JVM: {@code -Dkeepalive.test.javaHome=/usr/lib/jvm/temurin-25-jdk-amd64} runs the suite on JDK 25. */
    static Path java() {
        return existing("keepalive.test.javaHome").resolve("bin").resolve("java");
    }

    private static int feature;

    /**
     * The forked JDK's feature release (8, 11, 17...), from its {@code release} file, or, where there is
     * none (Debian's JDK 8), from what the JVM says of itself.
     */
    static synchronized int feature() {
        if (feature == 0) {
            feature = readFeature();
        }
        return feature;
    }

    private static int readFeature() {
        try {
            Path release = existing("keepalive.test.javaHome").resolve("release");
            if (Files.exists(release)) {
                for (String line : Files.readAllLines(release)) {
                    if (line.startsWith("JAVA_VERSION=")) {
                        return featureOf(line.substring("JAVA_VERSION=".length()).replace("\"", ""));
                    }
                }
            }
            Command settings = Command.run(java.util.List.of(java().toString(), "-XshowSettings:properties", "-version"));
            for (String line : settings.stderr) {
                if (line.trim().startsWith("java.specification.version = ")) {
                    return featureOf(line.trim().substring("java.specification.version = ".length()));
                }
            }
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException("cannot tell the forked JDK's version: " + e, e);
        }
        throw new IllegalStateException("cannot tell the forked JDK's version: no release file, no java.specification.version");
    }

    private static int featureOf(String version) {
        String[] parts = version.split("[._+-]");
        return Integer.parseInt(parts[0].equals("1") ? parts[1] : parts[0]);
    }

    /** The JVM arguments that let an app read the JDK's own getsockopt ({@code sun.nio.ch}): none on JDK 8. */
    static java.util.List<String> openSunNioCh() {
        return feature() >= 9 ? java.util.List.of("--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED") : java.util.List.of();
    }

    /** JDK classes the agent weaves: eight on 8 to 12 (java.net's own sockets and streams too), five on 13 to 20, six from 21 (close moved to a superclass). */
    static int wovenJdkClasses() {
        int jdk = feature();
        return jdk <= 12 ? 9 : jdk <= 20 ? 5 : 6;
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
