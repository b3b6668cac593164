package dev.keepaliveagent.it;

/** The agent beside Prometheus' jmx_exporter, loaded before ours and after it. */
class BesideJmxExporterIT extends AmongAgents {

    @Override
    OtherAgent other() {
        return OtherAgent.JMX_EXPORTER;
    }
}
