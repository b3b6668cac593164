package dev.keepaliveagent.observe;

import dev.keepaliveagent.proc.JvmLaunch;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ports on which a metrics exporter in this JVM answers its scrapes, as the JVM's own options name
 * them: Prometheus' jmx_exporter agent ({@code -javaagent:jmx_prometheus_javaagent.jar=[HOST:]PORT:CONFIG})
 * and OpenTelemetry's Prometheus exporter ({@code otel.metrics.exporter=prometheus}, its port 9464 unless
 * {@code otel.exporter.prometheus.port} says otherwise). A scrape is a look at the JVM, not the app's
 * traffic: the agent leaves those connections alone, so that scraping its counts does not change them.
 */
public final class InProcessExporters {

    private static final int OTEL_PROMETHEUS_DEFAULT_PORT = 9464;

    private InProcessExporters() {
    }

    /** Port to exporter, from this JVM's command line and environment; empty where neither names one. */
    public static Map<Integer, String> ofThisJvm() {
        JvmLaunch launch = JvmLaunch.ofThisJvm();
        return of(launch.options, launch.environment);
    }

    static Map<Integer, String> of(List<String> options, Map<String, String> environment) {
        Map<Integer, String> ports = new TreeMap<>();
        String otelExporters = environment.get("OTEL_METRICS_EXPORTER");
        String otelPort = environment.get("OTEL_EXPORTER_PROMETHEUS_PORT");
        for (String option : options) {
            if (option.startsWith("-javaagent:") && option.contains("jmx_prometheus_javaagent")) {
                int port = jmxExporterPort(option);
                if (port > 0) {
                    ports.put(port, "jmx_exporter");
                }
            } else if (option.startsWith("-Dotel.metrics.exporter=")) {
                otelExporters = option.substring(option.indexOf('=') + 1);
            } else if (option.startsWith("-Dotel.exporter.prometheus.port=")) {
                otelPort = option.substring(option.indexOf('=') + 1);
            }
        }
        if (otelExporters != null && java.util.Arrays.asList(otelExporters.split(",")).contains("prometheus")) {
            int port = otelPort == null ? OTEL_PROMETHEUS_DEFAULT_PORT : port(otelPort.trim());
            if (port > 0) {
                ports.put(port, "OpenTelemetry's Prometheus exporter");
            }
        }
        return ports;
    }

    /** {@code =PORT:CONFIG} or {@code =HOST:PORT:CONFIG} after the jar; 0 where it names no port. */
    private static int jmxExporterPort(String option) {
        int jar = option.indexOf(".jar=");
        if (jar < 0) {
            return 0;
        }
        String[] parts = option.substring(jar + ".jar=".length()).split(":");
        int first = parts.length > 1 ? port(parts[0]) : 0;
        return first > 0 ? first : parts.length > 2 ? port(parts[1]) : 0;
    }

    private static int port(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return 0;
        }
        int port = Integer.parseInt(text);
        return port <= 65535 ? port : 0;
    }
}
