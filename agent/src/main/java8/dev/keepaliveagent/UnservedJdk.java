package dev.keepaliveagent;

import dev.keepaliveagent.config.AgentConfig;
import dev.keepaliveagent.log.AgentLog;
import java.util.function.Consumer;

/**
 * The agent on a JDK older than it serves: the entry has checked the arguments as everywhere (a bad
 * one still stops the JVM with its one line); this says once, as a WARN an operator sees in the app's log,
 * that this JVM runs on unchanged and without keepalive. Nothing is woven, no hook is installed.
 */
public final class UnservedJdk implements Consumer<Object[]> {

    /** For the entry, which hands over through {@link #accept}, as to {@code Agent}. */
    public UnservedJdk() {
    }

    @Override
    public void accept(Object[] start) {
        AgentLog.configure((AgentConfig) start[0]);
        String version = UnservedJdk.class.getPackage().getImplementationVersion();
        AgentLog.warn("keepalive-agent " + (version == null ? "(development build)" : version) + " needs JDK "
                + AgentEntry.FIRST_SERVED_JDK + " or later, and this is Java " + System.getProperty("java.runtime.version")
                + ": the app runs on unchanged, without keepalive: no connection is configured, no dead peer is reported,"
                + " and there is no MBean and no JFR event");
    }
}
