package dev.keepaliveagent.it;

/** The agent beside the Elastic APM Java agent, loaded before ours and after it. */
class BesideElasticApmIT extends AmongAgents {

    @Override
    OtherAgent other() {
        return OtherAgent.ELASTIC;
    }
}
