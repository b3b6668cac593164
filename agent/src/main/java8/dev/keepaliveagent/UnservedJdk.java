package dev.keepaliveagent;

import dev.keepaliveagent.config.AgentArguments;
import dev.keepaliveagent.config.AgentConfig;
import dev.keepaliveagent.config.InvalidArgumentException;
import dev.keepaliveagent.log.AgentLog;
import java.lang.instrument.Instrumentation;
import java.util.function.Function;

/**
 * The agent on a JDK older than it serves: it checks the arguments as everywhere (a bad one still
 * stops the JVM with its one line), then says once, as a WARN an operator sees in the app's log,
 * that this JVM runs on unchanged and without keepalive. Nothing is woven, no hook is installed.
 */
public final class UnservedJdk implements Function<Object[], String> {

    /** For the entry, which hands over through {@link #apply}: {@code (arguments, instrumentation, attached)}. */
    public UnservedJdk() {
    }

    @Override
    public String apply(Object[] start) {
        return start((String) start[0], (Instrumentation) start[1], (Boolean) start[2]);
    }

    /** As {@code Agent.start}: the one-line refusal for bad arguments, else null. */
    public static String start(String arguments, Instrumentation instrumentation, boolean attached) {
        AgentConfig config;
        try {
            config = AgentArguments.loadForThisJvm(arguments);
        } catch (InvalidArgumentException e) {
            return e.getMessage();
        }
        AgentLog.configure(config);
        String version = UnservedJdk.class.getPackage().getImplementationVersion();
        AgentLog.warn("keepalive-agent " + (version == null ? "(development build)" : version) + " needs JDK "
                + AgentEntry.FIRST_SERVED_JDK + " or later, and this is Java " + System.getProperty("java.runtime.version")
                + ": the app runs on unchanged, without keepalive: no connection is configured, no dead peer is reported,"
                + " and there is no MBean and no JFR event");
        return null;
    }
}
