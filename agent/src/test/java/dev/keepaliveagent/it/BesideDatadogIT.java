package dev.keepaliveagent.it;

/** The agent beside Datadog's Java agent, loaded before ours and after it. */
class BesideDatadogIT extends AmongAgents {

    @Override
    OtherAgent other() {
        return OtherAgent.DATADOG;
    }
}
