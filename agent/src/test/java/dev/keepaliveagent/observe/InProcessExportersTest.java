package dev.keepaliveagent.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The exporters' ports, as the JVM's options and environment name them. */
class InProcessExportersTest {

    @Test
    void jmxExportersPortWithOrWithoutAHost() {
        assertEquals(Map.of(9404, "jmx_exporter"), InProcessExporters.of(List.of("java",
                "-javaagent:/opt/jmx_prometheus_javaagent-1.3.0.jar=9404:/etc/jmx.yaml", "-jar", "app.jar"), Map.of()));
        assertEquals(Map.of(9405, "jmx_exporter"), InProcessExporters.of(List.of(
                "-javaagent:jmx_prometheus_javaagent.jar=0.0.0.0:9405:config.yaml"), Map.of()));
        assertEquals(Map.of(), InProcessExporters.of(List.of("-javaagent:jmx_prometheus_javaagent.jar=config.yaml",
                "-javaagent:jmx_prometheus_javaagent.jar", "-javaagent:other.jar=9404:x"), Map.of()), "no port named");
    }

    @Test
    void openTelemetrysPrometheusExporterByPropertyOrEnvironment() {
        assertEquals(Map.of(9464, "OpenTelemetry's Prometheus exporter"),
                InProcessExporters.of(List.of("-Dotel.metrics.exporter=otlp,prometheus"), Map.of()));
        assertEquals(Map.of(9000, "OpenTelemetry's Prometheus exporter"),
                InProcessExporters.of(List.of(), Map.of("OTEL_METRICS_EXPORTER", "prometheus", "OTEL_EXPORTER_PROMETHEUS_PORT", "9000")));
        assertEquals(Map.of(), InProcessExporters.of(List.of("-Dotel.metrics.exporter=otlp"), Map.of()));
        assertEquals(Map.of(), InProcessExporters.of(List.of("-Dotel.metrics.exporter=prometheus",
                "-Dotel.exporter.prometheus.port=99999"), Map.of()), "not a port");
    }
}
