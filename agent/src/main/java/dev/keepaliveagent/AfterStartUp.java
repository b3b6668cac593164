package dev.keepaliveagent;

import dev.keepaliveagent.instrument.Instrumenter;
import dev.keepaliveagent.log.AgentLog;
import dev.keepaliveagent.observe.AgentMBean;
import dev.keepaliveagent.observe.PlatformMBeanServer;
import dev.keepaliveagent.observe.Telemetry;

/**
 * What the agent does once its hooks are live, on a thread of its own, off the app's start-up path:
 * weaving the library types another agent's premain may have loaded (a walk over every loaded class),
 * registering the MBean where the platform MBean server is up already, and listening for JDK Flight
 * Recorder (loading its API costs a few milliseconds). A class rather than a lambda: the first lambda
 * of a JVM costs milliseconds of start-up.
 */
final class AfterStartUp implements Runnable {

    private static final String MANAGEMENT_FACTORY = "java.lang.management.ManagementFactory";

    private final Instrumenter instrumenter;
    private final AgentMBean mbean;
    private final Telemetry telemetry;
    private final boolean attached;

    private AfterStartUp(Instrumenter instrumenter, AgentMBean mbean, Telemetry telemetry, boolean attached) {
        this.instrumenter = instrumenter;
        this.mbean = mbean;
        this.telemetry = telemetry;
        this.attached = attached;
    }

    /** After an attach the libraries were woven during start-up already, and the MBean is registered before it ends. */
    static void start(Instrumenter instrumenter, AgentMBean mbean, Telemetry telemetry, boolean attached) {
        AfterStartUp work = new AfterStartUp(instrumenter, mbean, telemetry, attached);
        if (attached) {
            work.registerWhereTheServerIsUp();
        }
        Thread thread = new Thread(work, "keepalive-agent-start");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        if (!attached) {
            instrumenter.weaveLibraryTypesLoadedBefore();
            registerWhereTheServerIsUp();
        }
        try {
            telemetry.watchFlightRecorder();
        } catch (LinkageError | RuntimeException e) {
            AgentLog.infoOnce("no jfr", "JFR events are not available in this runtime (" + e
                    + "); the MBean and the log say the same");
        }
    }

    /** Another agent's premain, or the app before an attach, may have brought the server up already. */
    private void registerWhereTheServerIsUp() {
        mbean.registerWith(PlatformMBeanServer.ifUp(instrumenter.loadedBeforeInstall(MANAGEMENT_FACTORY)));
    }
}
