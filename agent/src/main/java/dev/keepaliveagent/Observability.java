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
        Thread thread = new Thread(new FlightRecorderWatch(telemetry), "keepalive-agent-jfr");
        thread.setDaemon(true);
        thread.start();
    }

    /** A class rather than a lambda: the first lambda of a JVM costs milliseconds of start-up. */
    private static final class FlightRecorderWatch implements Runnable {
        private final Telemetry telemetry;

        FlightRecorderWatch(Telemetry telemetry) {
            this.telemetry = telemetry;
        }

        @Override
        public void run() {
            try {
                telemetry.watchFlightRecorder();
            } catch (LinkageError | RuntimeException e) {
                AgentLog.infoOnce("no jfr", "JFR events are not available in this runtime (" + e
                        + "); the MBean and the log say the same");
            }
        }
    }
}
