package dev.keepaliveagent.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keepaliveagent.config.AgentArguments;
import dev.keepaliveagent.config.AgentConfig;
import dev.keepaliveagent.config.LogFormat;
import dev.keepaliveagent.config.TestSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The Kubernetes example (deploy/kubernetes) can never drift from what the agent accepts: its agent
 * argument, its KEEPALIVE_* variables and the config file in its ConfigMap go through the agent's own
 * parser, and the paths between init container, volumes and JAVA_TOOL_OPTIONS line up.
 */
public class KubernetesExampleTest {

    private static final Path DEPLOY = Paths.get(System.getProperty("keepalive.deploy", "../deploy"));
    private static final Path KUBERNETES = DEPLOY.resolve("kubernetes");
    /** Where the image has its install command (deploy/image/OciImage.java). */
    private static final String INSTALL = "/keepalive-agent/install";

    @Test
    void theExamplesSettingsAreAcceptedByTheAgentsParser(@TempDir Path mounted) throws Exception {
        Map<String, Object> pod = at(yaml("deployment-patch.yaml"), "spec", "template", "spec");
        Map<String, Object> app = named(list(pod, "containers"), "app");
        Map<String, String> environment = new LinkedHashMap<>();
        for (Map<String, Object> variable : list(app, "env")) {
            environment.put((String) variable.get("name"), String.valueOf(variable.get("value")));
        }
        String javaagent = null;
        for (String option : environment.get("JDK_JAVA_OPTIONS").split(" ")) {
            if (option.startsWith("-javaagent:")) {
                javaagent = option.substring("-javaagent:".length());
            }
        }
        assertNotNull(javaagent, "JDK_JAVA_OPTIONS loads the agent");
        assertEquals(null, environment.get("JAVA_TOOL_OPTIONS"), "the app's own JAVA_TOOL_OPTIONS is left to it");
        String jar = javaagent.substring(0, javaagent.indexOf('='));
        String arguments = javaagent.substring(javaagent.indexOf('=') + 1);

        // The jar is where the init container copies it, on a volume both containers mount.
        Map<String, Object> init = named(list(pod, "initContainers"), "keepalive-agent");
        String jarDirectory = jar.substring(0, jar.lastIndexOf('/'));
        String volume = volumeMountedAt(app, jarDirectory);
        assertEquals(jarDirectory, mountPathOf(init, volume));
        // The image's own command copies the jar and makes the volume sticky, as /tmp is (an emptyDir is rwxrwxrwx),
        // so the agent trusts a cache under it: the command the release's image has (deploy/image/), run as the
        // volume's owner, root, without capabilities.
        assertEquals(List.of(INSTALL, jarDirectory), init.get("command"));
        assertTrue(Files.readString(DEPLOY.resolve("image/OciImage.java")).contains("\\\"Entrypoint\\\":[\\\"" + INSTALL + "\\\"]"),
                "the image's entry point (its JSON, as the Java source writes it)");
        assertTrue(Files.readString(DEPLOY.resolve("image/install.c")).contains("chmod(to_dir, 01777)"));
        assertEquals(0, at(init, "securityContext").get("runAsUser"), "chmod is for the volume's owner");
        assertEquals(List.of("ALL"), at(at(init, "securityContext"), "capabilities").get("drop"));

        // The patch changes nothing of the app's but its environment and mounts: not its user, not its image; and
        // it names no image but the agent's (an app image pinned in the patch would run that version forever).
        assertEquals(java.util.Set.of("name", "env", "volumeMounts"), app.keySet(), "what the patch sets on the app's container");
        // The image is the one the release builds and pushes: the POM's repository, tagged with its version.
        assertEquals(List.of(pomProperty("keepalive.image") + ":" + System.getProperty("keepalive.version")),
                list(pod, "initContainers").stream().map(container -> ((Map<?, ?>) container).get("image"))
                        .collect(java.util.stream.Collectors.toList()));
        // The cache is on the same volume, made by the app's first JVM as the app's own user.
        assertTrue(environment.get("KEEPALIVE_CACHE").startsWith(jarDirectory + "/"), environment::toString);

        // The config file is the ConfigMap's, mounted where the argument says.
        String configPath = arguments.substring(arguments.indexOf("config=") + "config=".length());
        String configDirectory = configPath.substring(0, configPath.lastIndexOf('/'));
        String configVolume = volumeMountedAt(app, configDirectory);
        Map<String, Object> volumeSpec = named(list(pod, "volumes"), configVolume);
        Map<String, Object> configMapRef = at(volumeSpec, "configMap");
        Map<String, Object> configMap = yaml("keepalive-agent-config.yaml");
        assertEquals("ConfigMap", configMap.get("kind"));
        assertEquals(at(configMap, "metadata").get("name"), configMapRef.get("name"));
        String fileName = configPath.substring(configPath.lastIndexOf('/') + 1);
        String content = (String) at(configMap, "data").get(fileName);
        assertNotNull(content, "the ConfigMap has " + fileName);

        // What the agent makes of all of it, with the file where the container would see it.
        Path file = mounted.resolve(fileName);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        AgentConfig config = AgentArguments.load(arguments.replace(configPath, file.toString()), Map.of(), environment);
        assertEquals(List.of(), config.warnings(), "no setting ignored");
        assertEquals(TestSettings.of(600, 60, 5, 900_000), config.settings());
        assertEquals(LogFormat.JSON, config.logFormat());
        assertEquals(java.util.Optional.of(environment.get("KEEPALIVE_CACHE")), config.cacheDirectory());
        assertEquals(3, config.rules().size(), config.rules()::toString);
        // Its loopback rule leaves both loopbacks alone (it once needed both addresses at once, and matched nothing).
        for (String loopback : new String[] {"127.0.0.1", "::1"}) {
            assertEquals(null, config.rules().settingsFor(java.net.InetAddress.getByName(loopback), 15001, -1), loopback);
        }
        assertTrue(config.toString().startsWith("idle=600s (KEEPALIVE_IDLE) intvl=60s (config file " + file + " line 2)"),
                config::toString);
    }

    /**
     * The patch applied as Kubernetes applies a strategic merge patch to a container's env (entries merged
     * by name) onto an app that sets JAVA_TOOL_OPTIONS itself: the app's value survives, the agent is loaded.
     */
    @Test
    void theAppsOwnJavaToolOptionsSurviveThePatch() throws Exception {
        Map<String, Object> pod = at(yaml("deployment-patch.yaml"), "spec", "template", "spec");
        Map<String, String> merged = new LinkedHashMap<>();
        merged.put("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=75");
        for (Map<String, Object> variable : list(named(list(pod, "containers"), "app"), "env")) {
            merged.put((String) variable.get("name"), String.valueOf(variable.get("value")));
        }
        assertEquals("-XX:MaxRAMPercentage=75", merged.get("JAVA_TOOL_OPTIONS"));
        assertTrue(merged.get("JDK_JAVA_OPTIONS").startsWith("-javaagent:/opt/keepalive-agent/keepalive-agent.jar="),
                merged::toString);
    }

    /**
     * The image-volume variant: the app's container mounts the release's image itself, read-only, at the
     * directory the agent argument names (the image's keepalive-agent/ directory, by subPath); no init container;
     * the same settings as the main patch but the cache, which stays the agent's default (the volume is read-only).
     */
    @Test
    void theImageVolumeVariantMountsTheReleasesImageWhereTheArgumentLooks() throws Exception {
        Map<String, Object> pod = at(yaml("deployment-patch-image-volume.yaml"), "spec", "template", "spec");
        assertEquals(null, pod.get("initContainers"));
        Map<String, Object> app = named(list(pod, "containers"), "app");
        Map<String, String> environment = environmentOf("deployment-patch-image-volume.yaml");
        Map<String, String> main = new LinkedHashMap<>(patchedEnvironment());
        main.remove("KEEPALIVE_CACHE");
        assertEquals(main, environment);

        String javaagent = environment.get("JDK_JAVA_OPTIONS").substring("-javaagent:".length());
        String jar = javaagent.substring(0, javaagent.indexOf('='));
        String jarDirectory = jar.substring(0, jar.lastIndexOf('/'));
        String volume = volumeMountedAt(app, jarDirectory);
        Map<String, Object> mount = list(app, "volumeMounts").stream().filter(m -> volume.equals(m.get("name")))
                .findFirst().orElseThrow();
        assertEquals(true, mount.get("readOnly"));
        // The image's layer holds keepalive-agent/keepalive-agent.jar (deploy/image/OciImage.java).
        assertEquals("keepalive-agent", mount.get("subPath"));
        assertTrue(Files.readString(DEPLOY.resolve("image/OciImage.java")).contains("\"" + mount.get("subPath") + "/"
                + jar.substring(jar.lastIndexOf('/') + 1) + "\""), "the image has the jar where the mount looks");
        Map<String, Object> image = at(named(list(pod, "volumes"), volume), "image");
        assertEquals(pomProperty("keepalive.image") + ":" + System.getProperty("keepalive.version"), image.get("reference"));
    }

    /** The environment the patch gives the app's container, for a test that starts a JVM with it. */
    public static Map<String, String> patchedEnvironment() throws Exception {
        return environmentOf("deployment-patch.yaml");
    }

    /** The environment a patch file gives the app's container, in the patch's order. */
    private static Map<String, String> environmentOf(String patch) throws Exception {
        Map<String, Object> pod = at(yaml(patch), "spec", "template", "spec");
        Map<String, String> environment = new LinkedHashMap<>();
        for (Map<String, Object> variable : list(named(list(pod, "containers"), "app"), "env")) {
            environment.put((String) variable.get("name"), String.valueOf(variable.get("value")));
        }
        return environment;
    }

    /** The config file of the ConfigMap. */
    public static String configFile() throws Exception {
        return (String) at(yaml("keepalive-agent-config.yaml"), "data").get("keepalive-agent.conf");
    }

    /** A property of the project's POM, the one place the image's repository is written. */
    private static String pomProperty(String name) throws Exception {
        String pom = Files.readString(DEPLOY.resolveSibling("pom.xml"));
        java.util.regex.Matcher value = java.util.regex.Pattern.compile("<" + java.util.regex.Pattern.quote(name) + ">([^<]+)</")
                .matcher(pom);
        assertTrue(value.find(), "pom.xml has " + name);
        return value.group(1);
    }

    private static Map<String, Object> yaml(String name) throws Exception {
        return new Yaml().load(Files.readString(KUBERNETES.resolve(name)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> at(Map<String, Object> node, String... path) {
        Map<String, Object> current = node;
        for (String key : path) {
            current = (Map<String, Object>) current.get(key);
            assertNotNull(current, "no " + key + " in the manifest");
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> node, String key) {
        List<Map<String, Object>> list = (List<Map<String, Object>>) node.get(key);
        assertNotNull(list, "no " + key + " in the manifest");
        return list;
    }

    private static Map<String, Object> named(List<Map<String, Object>> items, String name) {
        List<String> names = new ArrayList<>();
        for (Map<String, Object> item : items) {
            if (name.equals(item.get("name"))) {
                return item;
            }
            names.add(String.valueOf(item.get("name")));
        }
        throw new AssertionError("nothing named " + name + " among " + names);
    }

    private static String volumeMountedAt(Map<String, Object> container, String path) {
        for (Map<String, Object> mount : list(container, "volumeMounts")) {
            if (path.equals(mount.get("mountPath"))) {
                return (String) mount.get("name");
            }
        }
        throw new AssertionError(container.get("name") + " mounts nothing at " + path);
    }

    private static String mountPathOf(Map<String, Object> container, String volume) {
        return (String) named(list(container, "volumeMounts"), volume).get("mountPath");
    }
}
