package dev.keepaliveagent.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keepaliveagent.deploy.KubernetesExampleTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM started with the environment the Kubernetes patch gives the app's container, over an app that sets
 * JAVA_TOOL_OPTIONS itself: both hold, and the ConfigMap's rules are in force (its loopback rule leaves a
 * loopback connection alone).
 */
class KubernetesEnvironmentIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void thePatchedContainerRunsTheAgentAndKeepsTheAppsOwnJavaToolOptions(@TempDir Path mounted) throws Exception {
        int jdk = TestJvm.feature();
        if (jdk < 9) {
            Assumptions.abort("not on JDK " + jdk + ": the java launcher reads JDK_JAVA_OPTIONS from JDK 9 on; the patch's"
                    + " comment says to put the -javaagent into JAVA_TOOL_OPTIONS there");
        }
        Path config = mounted.resolve("keepalive-agent.conf");
        Files.write(config, KubernetesExampleTest.configFile().getBytes(StandardCharsets.UTF_8));
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=75");
        for (Map.Entry<String, String> variable : KubernetesExampleTest.patchedEnvironment().entrySet()) {
            environment.put(variable.getKey(), variable.getValue()
                    .replace("/opt/keepalive-agent/keepalive-agent.jar", TestJvm.agentJar().toString())
                    .replace("/etc/keepalive-agent/keepalive-agent.conf", config.toString())
                    .replace("/opt/keepalive-agent/cache", mounted.resolve("cache").toString()));
        }
        try (ForkedJvm child = ForkedJvm.startIn(environment, List.of(), null, List.of(ScenarioLauncher.AWAIT), List.of(),
                ConnectionScenario.class.getName(), "socket-constructor")) {
            SocketLine loopback = SocketLine.parse(child.awaitLine("SOCKET tested", TIMEOUT));
            child.awaitLine("READY", TIMEOUT);
            child.release();
            child.awaitSuccess(TIMEOUT);
            List<String> stderr = child.stderr();
            assertTrue(stderr.contains("Picked up JAVA_TOOL_OPTIONS: -XX:MaxRAMPercentage=75"), stderr::toString);
            assertTrue(stderr.stream().anyMatch(l -> l.startsWith("{") && l.contains("\"level\":\"INFO\"")
                    && l.contains("idle=600s (KEEPALIVE_IDLE) intvl=60s (config file " + config + " line 2)")), stderr::toString);
            assertFalse(loopback.keepalive, () -> "the ConfigMap's loopback rule leaves it alone: " + loopback);
        }
        // No init container primes the cache: the first JVM made it, as the app's user; the next one starts warm.
        try (ForkedJvm next = ForkedJvm.startIn(environment, List.of(), null, List.of(ScenarioLauncher.AWAIT), List.of(),
                HelloApp.class.getName())) {
            next.awaitExit(TIMEOUT);
            String startUp = next.stderr().stream().filter(l -> l.contains("classes from the cache")).findFirst().orElse("");
            java.util.regex.Matcher counts = java.util.regex.Pattern.compile("([0-9]+) of ([0-9]+) classes from the cache").matcher(startUp);
            assertTrue(counts.find() && counts.group(1).equals(counts.group(2)) && !counts.group(1).equals("0"),
                    () -> "every woven class from the cache the first JVM made: " + next.stderr());
        }
    }
}
