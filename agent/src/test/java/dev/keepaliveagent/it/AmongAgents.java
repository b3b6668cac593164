package dev.keepaliveagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent beside the agents a fleet already runs, real releases from Maven Central, each loaded
 * before ours and after it: the app's connections get keepalive, a dead peer gives one line, the
 * MBean is there (registered even when the other agent brought the platform MBean server up before
 * our premain), and the other agent still does its job, shown by what it writes itself. One class per
 * other agent ({@code Beside*IT}), so that they run side by side.
 */
abstract class AmongAgents {

    private static final Duration START = Duration.ofSeconds(90);
    private static final int PORT = 7000;
    private static final String FAST = "idle=2,intvl=1,cnt=2";
    private static final Duration BOUND = Duration.ofSeconds(2 + 1 * 2);
    static final int METRICS_PORT = 9404;

    /** How long the other agent may take to write what it traced. */
    private static final Duration TRACED = Duration.ofSeconds(20);

    /** Another agent, its options (each writes what it traces to its log) and how to see it worked. */
    enum OtherAgent {
        OPENTELEMETRY("opentelemetry-javaagent", "", "-Dotel.traces.exporter=logging", "-Dotel.metrics.exporter=none",
                "-Dotel.logs.exporter=none") {
            @Override
            Map<String, Predicate<String>> traces() {
                return Map.of(
                        "the client span of the app's HTTP call", line -> line.contains("LoggingSpanExporter - 'GET' : ")
                                && line.contains(" CLIENT [tracer: io.opentelemetry.http-url-connection:"),
                        "the server span of the app's HTTP call", line -> line.contains("LoggingSpanExporter - 'GET /hello' : ")
                                && line.contains(" SERVER [tracer: io.opentelemetry.java-http-server:"));
            }
        },
        DATADOG("dd-java-agent", "", "-Ddd.writer.type=LoggingWriter",
                "-Ddatadog.slf4j.simpleLogger.log.datadog.trace.agent.common.writer.LoggingWriter=info",
                "-Ddd.profiling.enabled=false", "-Ddd.instrumentation.telemetry.enabled=false") {
            @Override
            Map<String, Predicate<String>> traces() {
                return Map.of("the trace of the app's HTTP call", line -> line.contains("LoggingWriter - write(trace): ")
                        && line.contains("\"name\":\"http.request\",\"resource\":\"GET /hello\""));
            }
        },
        ELASTIC("elastic-apm-agent", "", "-Delastic.apm.disable_send=true", "-Delastic.apm.service_name=among-agents",
                "-Delastic.apm.central_config=false", "-Delastic.apm.log_file=System.out"),
        JMX_EXPORTER("jmx_prometheus_javaagent", "=" + METRICS_PORT + ":" + TestJvm.prometheusRules());

        final String artifactId;
        final String arguments;
        final List<String> properties;

        OtherAgent(String artifactId, String arguments, String... properties) {
            this.artifactId = artifactId;
            this.arguments = arguments;
            this.properties = List.of(properties);
        }

        String javaagent() {
            return "-javaagent:" + TestJvm.otherAgent(artifactId) + arguments;
        }

        /**
         * The lines this agent writes of the app's HTTP call while it runs, by what each shows. Elastic APM
         * says what it traced at exit; jmx_exporter is scraped.
         */
        Map<String, Predicate<String>> traces() {
            return Map.of();
        }

        /** "dd-java-agent 1.68.1", from the jar's manifest. */
        String release() {
            try (java.util.jar.JarFile jar = new java.util.jar.JarFile(TestJvm.otherAgent(artifactId).toFile())) {
                String version = jar.getManifest().getMainAttributes().getValue("Implementation-Version");
                return artifactId + (version == null ? "" : " " + version);
            } catch (java.io.IOException unreadable) {
                return artifactId;
            }
        }
    }

    /** The agent this class runs beside ours. */
    abstract OtherAgent other();

    @ParameterizedTest(name = "loaded {0} ours")
    @ValueSource(strings = {"before", "after"})
    void bothAgentsDoTheirJob(String order) throws Exception {
        OtherAgent other = other();
        try (NetworkLab lab = NetworkLab.create();
             ForkedJvm server = ForkedJvm.startIn(lab.onServer(), null, List.of(), List.of(),
                     DeadPeerScenario.class.getName(), "hold-server", String.valueOf(PORT))) {
            server.awaitLine("LISTENING", START);
            try (ForkedJvm app = ForkedJvm.startIn(Map.of(), lab.onClient(), null, javaagents(other, order), List.of(),
                    AmongAgentsScenario.class.getName(), NetworkLab.SERVER_IP, String.valueOf(PORT))) {
                app.awaitLine("HTTP 200", START);
                assertEquals("CONNECTED keepalive=true idle=2", app.awaitLine("CONNECTED", START));
                Set<String> untraced = untraced(other, app, TRACED);
                if (other == OtherAgent.JMX_EXPORTER) {
                    List<String> metrics = scrape(lab);
                    assertTrue(metrics.stream().anyMatch(line -> line.startsWith("jvm_memory_used_bytes{")), metrics::toString);
                    assertTrue(metrics.contains("keepalive_agent_connections_configured_total{kind=\"connect\"} 2.0"),
                            metrics::toString);
                }

                lab.cutServerSide();
                String failed = app.awaitLine("FAILED", BOUND.plus(DeadPeerChecks.APP_REACTS).plusSeconds(1));
                assertTrue(failed.contains("Connection timed out"), failed);
                String line = DeadPeerChecks.onlyDeadPeerLine(app);
                assertTrue(line.startsWith("[keepalive-agent] WARN: dead peer " + NetworkLab.SERVER_IP + ":" + PORT), line);
                assertTrue(line.contains("keepalive idle=2s intvl=1s cnt=2"), line);

                Map<String, String> mbean = MBeanProbe.readIn(lab.onClient(), app.pid(),
                        "DeadPeers", "ConfiguredConnections", "SuppressedErrors");
                assertEquals("{TIMED_OUT=1}", mbean.get("DeadPeers"), mbean::toString);
                assertEquals("0", mbean.get("SuppressedErrors"), mbean::toString);
                // The app's two; an APM agent may make connections of its own (Datadog's to its collector).
                java.util.regex.Matcher connects = java.util.regex.Pattern.compile("connect=(\\d+)")
                        .matcher(mbean.get("ConfiguredConnections"));
                assertTrue(connects.find() && Integer.parseInt(connects.group(1)) >= 2, mbean::toString);
                app.release();
                app.awaitSuccess(START);
                if (!untraced.isEmpty()) {
                    // Ours did its job; the other agent did not write all it should. Alone, on this JDK?
                    Set<String> untracedAlone = untracedAlone(other);
                    assertTrue(untracedAlone.containsAll(untraced), () -> "beside this agent, " + other.release()
                            + " did not write " + untraced + ", which it writes alone on this JDK\nstdout: " + app.stdout()
                            + "\nstderr: " + app.stderr());
                    Assumptions.abort("not on JDK " + TestJvm.feature() + ": " + other.release() + " does not write "
                            + untraced + " there, alone or beside this agent (this agent's part passed)");
                }
                if (other == OtherAgent.ELASTIC) {
                    // Written as the JVM exits: the plugins that saw calls, the same as with Elastic APM alone.
                    String used = groups(lineOf(app, "Used instrumentation groups"));
                    assertEquals(groups(elasticAlone()), used);
                    assertTrue(used.contains("jdk-httpserver") && used.contains("urlconnection"), used);
                }
            }
        }
    }

    private static List<String> javaagents(OtherAgent other, String order) {
        String ours = "-javaagent:" + TestJvm.agentJar() + "=" + FAST;
        List<String> arguments = new ArrayList<>(other.properties);
        arguments.addAll(order.equals("before") ? List.of(other.javaagent(), ours) : List.of(ours, other.javaagent()));
        arguments.add(ScenarioLauncher.AWAIT);
        return arguments;
    }

    /** What {@code other} has not written of {@link OtherAgent#traces()} within {@code wait}. */
    private static Set<String> untraced(OtherAgent other, ForkedJvm app, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        Set<String> untraced = new TreeSet<>(other.traces().keySet());
        while (true) {
            List<String> output = output(app).collect(Collectors.toList());
            untraced.removeIf(what -> output.stream().anyMatch(other.traces().get(what)));
            if (untraced.isEmpty() || System.nanoTime() > deadline) {
                return untraced;
            }
            Thread.sleep(100);
        }
    }

    /** Each other agent's run alone, once for both orders (ended; what it printed is kept). */
    private static final Map<OtherAgent, ForkedJvm> ALONE = new java.util.EnumMap<>(OtherAgent.class);

    /** The app's HTTP call alone (no arguments: it then exits) with {@code other} and not this agent. */
    private static synchronized ForkedJvm alone(OtherAgent other) throws Exception {
        ForkedJvm known = ALONE.get(other);
        if (known != null) {
            return known;
        }
        List<String> jvmArguments = new ArrayList<>(other.properties);
        jvmArguments.add(other.javaagent());
        try (ForkedJvm alone = ForkedJvm.start(null, jvmArguments, List.of(), AmongAgentsScenario.class.getName())) {
            alone.awaitSuccess(START);
            ALONE.put(other, alone);
            return alone;
        }
    }

    /** What {@code other} does not write of the app's HTTP call when it runs alone. */
    private static Set<String> untracedAlone(OtherAgent other) throws Exception {
        return untraced(other, alone(other), Duration.ZERO);
    }

    static List<String> scrape(NetworkLab lab) throws Exception {
        try (ForkedJvm probe = ForkedJvm.startIn(lab.onClient(), null, List.of(), List.of(), HttpGetProbe.class.getName(),
                "http://127.0.0.1:" + METRICS_PORT + "/metrics")) {
            probe.awaitLine(HttpGetProbe.END, START);
            probe.awaitSuccess(START);
            return probe.stdout();
        }
    }

    /** The line Elastic APM writes at exit of the plugins it used, from a run of the app with Elastic APM alone. */
    private static String elasticAlone() throws Exception {
        return lineOf(alone(OtherAgent.ELASTIC), "Used instrumentation groups");
    }

    /** "[executor, jdk-httpserver, urlconnection]" from Elastic APM's line. */
    private static String groups(String line) {
        return line.substring(line.indexOf("Used instrumentation groups: ") + "Used instrumentation groups: ".length());
    }

    private static String lineOf(ForkedJvm app, String text) {
        return output(app).filter(line -> line.contains(text)).findFirst()
                .orElseThrow(() -> new AssertionError("no line with '" + text + "'\nstdout: " + app.stdout()
                        + "\nstderr: " + app.stderr()));
    }

    private static Stream<String> output(ForkedJvm app) {
        return Stream.concat(app.stdout().stream(), app.stderr().stream());
    }
}
