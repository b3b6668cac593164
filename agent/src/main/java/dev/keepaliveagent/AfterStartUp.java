package dev.keepaliveagent;

import dev.keepaliveagent.boot.Switchboard;
import dev.keepaliveagent.instrument.Instrumenter;
import dev.keepaliveagent.instrument.JdkAccess;
import dev.keepaliveagent.log.AgentLog;
import dev.keepaliveagent.observe.AgentMBean;
import dev.keepaliveagent.observe.PlatformMBeanServer;
import dev.keepaliveagent.observe.Telemetry;
import java.lang.instrument.Instrumentation;

/**
 * What the agent does once its hooks are live, on a thread of its own, off the app's start-up path:
 * weaving the library types another agent's premain may have loaded (a walk over every loaded class),
 * registering the MBean where the platform MBean server is up already, and listening for JDK Flight
 * Recorder (loading its API costs a few milliseconds). A class rather than a lambda: the first lambda
 * of a JVM costs milliseconds of start-up.
 */
final class AfterStartUp implements Runnable {

    private static final String MANAGEMENT_FACTORY = "java.lang.management.ManagementFactory";

    private final Instrumentation instrumentation;
    private final Instrumenter instrumenter;
    private final AgentMBean mbean;
    private final Telemetry telemetry;
    private final boolean attached;

    private AfterStartUp(Instrumentation instrumentation, Instrumenter instrumenter, AgentMBean mbean, Telemetry telemetry,
                         boolean attached) {
        this.instrumentation = instrumentation;
        this.instrumenter = instrumenter;
        this.mbean = mbean;
        this.telemetry = telemetry;
        this.attached = attached;
    }

    /** After an attach the libraries were woven during start-up already, and the MBean is registered before it ends. */
    static void start(Instrumentation instrumentation, Instrumenter instrumenter, AgentMBean mbean, Telemetry telemetry,
                      boolean attached) {
        AfterStartUp work = new AfterStartUp(instrumentation, instrumenter, mbean, telemetry, attached);
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
        Class<?> managementFactory = instrumenter.loadedBeforeInstall(MANAGEMENT_FACTORY);
        if (managementFactory == null) {
            return; // loaded since, if at all: woven as it loaded, so the server's creation will call us
        }
        try {
            JdkAccess.openManagement(instrumentation);
        } catch (RuntimeException | LinkageError e) {
            Switchboard.suppressed("opening java.lang.management to find a platform MBean server already up", e);
            return;
        }
        mbean.registerWith(PlatformMBeanServer.ifUp(managementFactory));
    }
}
