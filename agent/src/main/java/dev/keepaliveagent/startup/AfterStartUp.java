package dev.keepaliveagent.startup;

import dev.keepaliveagent.boot.Switchboard;
import dev.keepaliveagent.instrument.Instrumenter;
import dev.keepaliveagent.jdk.JdkAccess;
import dev.keepaliveagent.log.AgentLog;
import dev.keepaliveagent.observe.AgentMBean;
import dev.keepaliveagent.jdk.PlatformMBeanServer;
import dev.keepaliveagent.observe.Telemetry;
import java.lang.instrument.Instrumentation;

/**
 * What the agent does once its hooks are live and its start-up line is out: weaving the library
 * types another agent's premain may have loaded (a walk over every loaded class), registering the
 * MBean where the platform MBean server is up already, and listening for JDK Flight Recorder
 * (loading its API costs a few milliseconds).
 */
final class AfterStartUp {

    private static final String MANAGEMENT_FACTORY = "java.lang.management.ManagementFactory";

    private AfterStartUp() {
    }

    /** After an attach the libraries were woven during start-up already. */
    static void run(Instrumentation instrumentation, Instrumenter instrumenter, AgentMBean mbean, Telemetry telemetry,
                    boolean attached) {
        if (!attached) {
            instrumenter.weaveLibraryTypesLoadedBefore();
        }
        registerWhereTheServerIsUp(instrumentation, instrumenter, mbean);
        try {
            telemetry.watchFlightRecorder(mbean);
        } catch (LinkageError | RuntimeException e) {
            AgentLog.infoOnce("no jfr", "JFR events are not available in this runtime (" + e
                    + "); the MBean and the log say the same");
        }
    }

    /** Another agent's premain, or the app before an attach, may have brought the server up already. */
    private static void registerWhereTheServerIsUp(Instrumentation instrumentation, Instrumenter instrumenter,
                                                   AgentMBean mbean) {
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
