package dev.keepaliveagent;

import dev.keepaliveagent.log.AgentLog;
import dev.keepaliveagent.observe.Telemetry;

/** Starts what the JVM's own tools see of the agent, off the app's start-up path. */
final class Observability {

    private Observability() {
    }

    /**
     * Listens for JDK Flight Recorder from a thread of the agent's own: loading its API costs a
     * few milliseconds, which the app's start-up does not wait for.
     */
    static void startAfterStartUp(Telemetry telemetry) {
        Thread thread = new Thread(() -> {
            try {
                telemetry.watchFlightRecorder();
            } catch (LinkageError | RuntimeException e) {
                AgentLog.infoOnce("no jfr", "JFR events are not available in this runtime (" + e
                        + "); the MBean and the log say the same");
            }
        }, "keepalive-agent-jfr");
        thread.setDaemon(true);
        thread.start();
    }
}
