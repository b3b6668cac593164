package dev.keepaliveagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The rules file the project ships for Prometheus' jmx_exporter (deploy/prometheus), run by the real
 * jmx_exporter javaagent and scraped over HTTP: conventional names, types and labels, with the
 * values of what the app did, before and after a dead peer.
 */
class PrometheusIT {

    private static final Duration START = Duration.ofSeconds(60);
    private static final int PORT = 7000;

    @Test
    void theMetricsAreNamedTypedAndCountedAsPrometheusUsersExpect() throws Exception {
        try (NetworkLab lab = NetworkLab.create();
             ForkedJvm server = ForkedJvm.startIn(lab.onServer(), null, List.of(), List.of(),
                     DeadPeerScenario.class.getName(), "hold-server", String.valueOf(PORT))) {
            server.awaitLine("LISTENING", START);
            List<String> agents = List.of(
                    "-javaagent:" + TestJvm.otherAgent("jmx_prometheus_javaagent") + "=" + AmongAgents.METRICS_PORT
                            + ":" + TestJvm.prometheusRules(),
                    "-javaagent:" + TestJvm.agentJar() + "=idle=2,intvl=1,cnt=2", ScenarioLauncher.AWAIT);
            try (ForkedJvm app = ForkedJvm.startIn(Map.of(), lab.onClient(), null, agents, List.of(),
                    AmongAgentsScenario.class.getName(), NetworkLab.SERVER_IP, String.valueOf(PORT))) {
                app.awaitLine("CONNECTED", START);

                Scrape first = new Scrape(AmongAgents.scrape(lab));
                assertEquals("counter", first.type("keepalive_agent_connections_configured_total"));
                // The app's HTTP call and its socket; its HTTP server's accept. Not the scrape: a look is no traffic of the app's.
                assertEquals(Map.of("keepalive_agent_connections_configured_total{kind=\"connect\"}", "2.0",
                                "keepalive_agent_connections_configured_total{kind=\"accept\"}", "1.0"),
                        first.samples("keepalive_agent_connections_configured_total"));
                assertEquals(Map.of("keepalive_agent_settings{cnt=\"2\",idle=\"2s\",intvl=\"1s\",mesh=\"none\",rules=\"0\","
                        + "utimeout=\"4s\",version=\"" + TestJvm.VERSION + "\"}", "1.0"), first.samples("keepalive_agent_settings"));
                assertEquals("gauge", first.type("keepalive_agent_settings"));
                assertEquals(Map.of("keepalive_agent_suppressed_errors_total", "0.0"),
                        first.samples("keepalive_agent_suppressed_errors_total"));
                assertEquals("counter", first.type("keepalive_agent_suppressed_errors_total"));
                assertEquals(Map.of("keepalive_agent_rescued_connections_total", "0.0"),
                        first.samples("keepalive_agent_rescued_connections_total"));
                assertEquals(Map.of(), first.samples("keepalive_agent_dead_peers_total"), "no dead peer yet");
                assertEquals(Map.of(), first.samples("keepalive_agent_refused_options_total"), "every option was taken");
                assertEquals(Map.of(), first.samples("keepalive_agent_read_back_mismatches_total"));
                assertTrue(first.names().stream().noneMatch(name -> name.startsWith("dev_keepaliveagent")),
                        "no metric under jmx_exporter's default names");

                lab.cutServerSide();
                app.awaitLine("FAILED", Duration.ofSeconds(10));
                DeadPeerChecks.onlyDeadPeerLine(app);
                Scrape second = new Scrape(AmongAgents.scrape(lab));
                assertEquals(Map.of("keepalive_agent_dead_peers_total{cause=\"TIMED_OUT\"}", "1.0"),
                        second.samples("keepalive_agent_dead_peers_total"));
                assertEquals("counter", second.type("keepalive_agent_dead_peers_total"));
                assertEquals("1.0", second.samples("keepalive_agent_connections_configured_total")
                        .get("keepalive_agent_connections_configured_total{kind=\"accept\"}"), "a second scrape counts no more");
                assertTrue(app.stderr().stream().anyMatch(line -> line.endsWith("; left alone, as a scrape is a look at the JVM"
                        + " and not the app's traffic: the connections accepted on port " + AmongAgents.METRICS_PORT
                        + " (jmx_exporter)")), app.stderr()::toString);
                app.release();
                app.awaitSuccess(START);
            }
        }
    }

    /** A scrape in Prometheus' text format: each sample by its name and labels, each family's type. */
    private static final class Scrape {
        private final Map<String, String> samples = new TreeMap<>();
        private final Map<String, String> types = new TreeMap<>();

        Scrape(List<String> lines) {
            for (String line : lines) {
                if (line.startsWith("# TYPE ")) {
                    String[] words = line.split(" ");
                    types.put(words[2], words[3]);
                } else if (!line.startsWith("#") && !line.equals(HttpGetProbe.END) && !line.isEmpty()) {
                    int space = line.lastIndexOf(' ');
                    samples.put(line.substring(0, space), line.substring(space + 1));
                }
            }
        }

        /** The samples of one metric, {@code name} or {@code name{labels}}: those exactly of that name. */
        Map<String, String> samples(String name) {
            Map<String, String> found = new TreeMap<>();
            samples.forEach((sample, value) -> {
                if (sample.equals(name) || sample.startsWith(name + "{")) {
                    found.put(sample, value);
                }
            });
            return found;
        }

        java.util.Set<String> names() {
            return samples.keySet();
        }

        String type(String name) {
            String type = types.get(name);
            return type != null ? type : types.get(name.replaceAll("_total$", ""));
        }
    }
}
