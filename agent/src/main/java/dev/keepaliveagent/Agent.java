package dev.keepaliveagent;

import dev.keepaliveagent.config.AgentArguments;
import dev.keepaliveagent.config.AgentConfig;
import dev.keepaliveagent.config.InvalidArgumentException;
import dev.keepaliveagent.log.AgentLog;
import java.lang.instrument.Instrumentation;
import java.util.function.Function;

/** The agent proper, in its own class loader: where it starts. */
public final class Agent implements Function<Object[], String> {

    /** For the entry, which hands over through {@link #apply}: {@code (arguments, instrumentation, attached)}. */
    public Agent() {
    }

    @Override
    public String apply(Object[] start) {
        return start((String) start[0], (Instrumentation) start[1], (Boolean) start[2]);
    }

    /**
     * Starts the agent; returns the one-line refusal for bad arguments, else null. Only reading the
     * arguments happens on the caller's thread at JVM start: the rest runs on a thread of its own,
     * and whatever the app opens meanwhile is configured once the hooks are live.
     */
    public static String start(String arguments, Instrumentation instrumentation, boolean attached) {
        StartUpTimeline timeline = new StartUpTimeline();
        AgentConfig config;
        try {
            config = AgentArguments.loadForThisJvm(arguments);
        } catch (InvalidArgumentException e) {
            return e.getMessage();
        }
        AgentLog.configure(config);
        timeline.mark("arguments");
        StartUp startUp = new StartUp(config, instrumentation, attached, timeline);
        if (attached) {
            startUp.run(); // the attach command waits for its outcome: what was rescued
        } else {
            Thread thread = new Thread(startUp, "keepalive-agent-start");
            thread.setDaemon(true);
            thread.start();
        }
        return null;
    }

    static String version() {
        String version = Agent.class.getPackage().getImplementationVersion();
        return version == null ? "(development build)" : version;
    }
}
