package dev.keepaliveagent.startup;

import dev.keepaliveagent.config.AgentConfig;
import dev.keepaliveagent.log.AgentLog;
import java.lang.instrument.Instrumentation;
import java.util.function.Consumer;

/**
 * The agent proper, in its own class loader: where it starts once the entry has read the arguments.
 * At JVM start this already runs on the agent's own thread; after an attach, in the attach's.
 */
public final class Agent implements Consumer<Object[]> {

    /** For the entry, which hands over through {@link #accept}. */
    public Agent() {
    }

    /** {@code (config, instrumentation, attached, started, argumentsNanos)}: {@code started} is the entry's {@code System.nanoTime()}. */
    @Override
    public void accept(Object[] start) {
        AgentConfig config = (AgentConfig) start[0];
        long started = (Long) start[3];
        StartUpTimeline timeline = new StartUpTimeline(started);
        timeline.mark("arguments", started + (Long) start[4]);
        AgentLog.configure(config);
        timeline.mark("agent's loader");
        new StartUp(config, (Instrumentation) start[1], (Boolean) start[2], timeline, (Long) start[4] / 1_000_000, version()).run();
    }

    private static String version() {
        String version = Agent.class.getPackage().getImplementationVersion();
        return version == null ? "(development build)" : version;
    }
}
