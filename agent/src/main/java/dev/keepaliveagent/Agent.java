package dev.keepaliveagent;

import dev.keepaliveagent.config.AgentArguments;
import dev.keepaliveagent.config.AgentConfig;
import dev.keepaliveagent.config.InvalidArgumentException;
import dev.keepaliveagent.instrument.Instrumenter;
import dev.keepaliveagent.instrument.JdkAccess;
import dev.keepaliveagent.instrument.WovenClassCache;
import dev.keepaliveagent.log.AgentLog;
import dev.keepaliveagent.log.InternalErrorLog;
import dev.keepaliveagent.netty.NettyTuner;
import dev.keepaliveagent.observe.AgentMBean;
import dev.keepaliveagent.observe.Telemetry;
import dev.keepaliveagent.tune.Rescuer;
import dev.keepaliveagent.tune.SocketTuner;
import java.lang.instrument.Instrumentation;
import java.util.List;

/** The agent proper, in its own class loader: the start-up sequence, read top to bottom. */
public final class Agent {

    /** The bootstrap classes, in the order they are injected. */
    private static final String[] BOOTSTRAP_CLASSES = {
        "dev.keepaliveagent.boot.SocketEvents", "dev.keepaliveagent.boot.ChannelEvents",
        "dev.keepaliveagent.boot.Switchboard",
    };

    private Agent() {
    }

    /** Starts the agent; returns the one-line refusal for bad arguments, else null. */
    public static String start(String arguments, Instrumentation instrumentation, boolean attached) throws Exception {
        StartUpTimeline timeline = new StartUpTimeline();
        AgentConfig config;
        try {
            config = AgentArguments.loadForThisJvm(arguments);
        } catch (InvalidArgumentException e) {
            return e.getMessage();
        }
        AgentLog.configure(config);
        timeline.mark("arguments");
        try {
            if (JdkAccess.alreadyActive()) {
                // A second instance would weave the JDK's classes a second time (the first one's
                // transformer stays registered): its advice would run twice.
                AgentLog.warn("keepalive-agent is already active in this JVM (loaded at start-up or by an earlier attach);"
                        + " this load changes nothing, the settings in force stay as they are");
                return null;
            }
            JdkAccess.openInternals(instrumentation);
            timeline.mark("modules");
            JdkAccess.injectIntoBootstrap(instrumentation, BOOTSTRAP_CLASSES);
            timeline.mark("bootstrap classes");
            // Only now may a class that refers to the bootstrap classes load.
            InternalErrorLog.install();
            Telemetry telemetry = new Telemetry();
            SocketTuner tuner = SocketTuner.startListening(config.rules(), telemetry);
            NettyTuner nettyTuner = NettyTuner.startListening(config.rules(), telemetry);
            timeline.mark("tuners");
            int jdk = Runtime.version().feature();
            Instrumenter instrumenter = new Instrumenter(instrumentation,
                    WovenClassCache.forConfig(config.cacheEnabled(), config.cacheDirectory().orElse(null)), jdk);
            timeline.mark("cache");
            NettyStatus netty = new NettyStatus(instrumenter, nettyTuner);
            AgentMBean mbean = new AgentMBean(version(), config, telemetry, netty);
            mbean.registerWhenServerUp();
            List<String> targets = instrumenter.install(attached);
            timeline.mark(instrumenter.wovenFromCache() == instrumenter.wovenCount() ? "weaving (from the cache)" : "weaving");
            for (String warning : config.warnings()) {
                AgentLog.warn(warning);
            }
            String noUserTimeout = tuner.checkUserTimeout();
            if (noUserTimeout != null) {
                AgentLog.warn("utimeout cannot be applied here (" + noUserTimeout
                        + "); connections get keepalive alone, and data in flight is given up after the kernel's retransmissions");
            }
            List<String> rescued = attached ? Rescuer.rescueOpenConnections(tuner) : List.of();
            timeline.mark("checks");
            AgentLog.info("keepalive-agent " + version() + " on JDK " + System.getProperty("java.runtime.version")
                    + ": " + config + "; instrumented " + String.join(", ", targets)
                    + " (start-up took " + timeline.totalMillis() + " ms, "
                    + instrumenter.wovenFromCache() + " of " + instrumenter.wovenCount() + " classes from the cache)"
                    + "; Netty native transports: " + netty.describe());
            AfterStartUp.start(instrumentation, instrumenter, mbean, telemetry, attached);
            timeline.mark("start-up line, thread");
            if (AgentLog.isDebugEnabled()) {
                AgentLog.debug("start-up phases: " + timeline);
            }
            if (attached) {
                AgentLog.info("attached: " + rescued.size() + " connection(s) already open"
                        + (rescued.isEmpty() ? "" : ": " + String.join("; ", rescued)));
            }
        } catch (Exception | LinkageError e) {
            AgentLog.error("could not start, the app runs without keepalive: " + e);
            InternalErrorLog.countStartFailure(e);
        } finally {
            AgentLog.startUpDone();
        }
        return null;
    }

    static String version() {
        String version = Agent.class.getPackage().getImplementationVersion();
        return version == null ? "(development build)" : version;
    }
}
