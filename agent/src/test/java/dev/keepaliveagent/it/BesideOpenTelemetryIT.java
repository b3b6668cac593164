package dev.keepaliveagent.it;

/** The agent beside the OpenTelemetry Java agent, loaded before ours and after it. */
class BesideOpenTelemetryIT extends AmongAgents {

    @Override
    OtherAgent other() {
        return OtherAgent.OPENTELEMETRY;
    }
}
