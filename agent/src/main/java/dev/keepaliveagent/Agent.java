package dev.keepaliveagent;

import dev.keepaliveagent.config.AgentArguments;
import dev.keepaliveagent.config.AgentConfig;
import dev.keepaliveagent.config.InvalidArgumentException;
import dev.keepaliveagent.log.AgentLog;
import java.lang.instrument.Instrumentation;
import java.util.function.Function;

/**
 * The agent proper, in its own class loader: where it starts. At JVM start the app's thread reads the
 * arguments here, and {@link StartUp} (whose class is loaded there too) does the rest on the agent's
 * own thread.
 */
public final class Agent implements Function<Object[], String>, Runnable {

    private AgentConfig config;
    private Instrumentation instrumentation;
    private StartUpTimeline timeline;
    private long appWaitedMillis;

    /** For the entry, which hands over through {@link #apply}: {@code (arguments, instrumentation, attached)}. */
    public Agent() {
    }

    /** Starts the agent; returns the one-line refusal for bad arguments, else null. */
    @Override
    public String apply(Object[] start) {
        return start((String) start[0], (Instrumentation) start[1], (Boolean) start[2]);
    }

    /**
     * Only reading the arguments happens on the caller's thread at JVM start: the rest runs on a
     * thread of its own, and whatever the app opens meanwhile is configured once the hooks are live.
     */
    private String start(String arguments, Instrumentation instrumentation, boolean attached) {
        StartUpTimeline timeline = new StartUpTimeline();
        AgentConfig config;
        try {
            config = AgentArguments.loadForThisJvm(arguments);
        } catch (InvalidArgumentException e) {
            return e.getMessage();
        }
        AgentLog.configure(config);
        timeline.mark("arguments");
        if (attached) {
            // The attach command waits for its outcome: what was rescued.
            new StartUp(config, instrumentation, true, timeline, timeline.totalMillis()).run();
            return null;
        }
        this.config = config;
        this.instrumentation = instrumentation;
        this.timeline = timeline;
        this.appWaitedMillis = timeline.totalMillis();
        Thread thread = new Thread(this, "keepalive-agent-start");
        thread.setDaemon(true);
        thread.start();
        return null;
    }

    /** The agent's thread. */
    @Override
    public void run() {
        new StartUp(config, instrumentation, false, timeline, appWaitedMillis).run();
    }

    static String version() {
        String version = Agent.class.getPackage().getImplementationVersion();
        return version == null ? "(development build)" : version;
    }
}
