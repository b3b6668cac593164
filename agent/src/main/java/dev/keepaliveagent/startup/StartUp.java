package dev.keepaliveagent.startup;

import dev.keepaliveagent.JavaFeature;
import dev.keepaliveagent.boot.Switchboard;
import dev.keepaliveagent.config.AgentConfig;
import dev.keepaliveagent.config.KeepaliveOption;
import dev.keepaliveagent.config.Rules;
import dev.keepaliveagent.diagnose.Mesh;
import dev.keepaliveagent.instrument.Instrumenter;
import dev.keepaliveagent.jdk.JdkAccess;
import dev.keepaliveagent.instrument.WovenClassCache;
import dev.keepaliveagent.log.AgentLog;
import dev.keepaliveagent.log.InternalErrorLog;
import dev.keepaliveagent.netty.NettyTuner;
import dev.keepaliveagent.observe.AgentMBean;
import dev.keepaliveagent.observe.AttachProperties;
import dev.keepaliveagent.observe.InProcessExporters;
import dev.keepaliveagent.observe.Telemetry;
import dev.keepaliveagent.jdk.JdkSockets;
import dev.keepaliveagent.jdk.OptionAvailability;
import dev.keepaliveagent.lifecycle.Lifecycle;
import dev.keepaliveagent.rescue.Rescue;
import dev.keepaliveagent.rescue.StartUpWindow;
import dev.keepaliveagent.tune.JdkEndpoints;
import dev.keepaliveagent.tune.SocketRegistry;
import dev.keepaliveagent.tune.SocketTuner;
import java.lang.instrument.Instrumentation;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The agent's start-up once its arguments are read, top to bottom: the JDK's internals, the
 * bootstrap classes, the tuners, the weaving, the checks, the connections opened meanwhile, the
 * start-up line. At JVM start it runs on a thread of its own, so the app's {@code main} does not
 * wait for it; after an attach, in the attach's thread.
 */
final class StartUp implements Runnable {

    /** The bootstrap classes, in the order they are injected. */
    private static final String[] BOOTSTRAP_CLASSES = {
        "dev.keepaliveagent.boot.SocketEvents", "dev.keepaliveagent.boot.ChannelEvents",
        "dev.keepaliveagent.boot.SwitchboardState", "dev.keepaliveagent.boot.Switchboard",
    };

    /**
     * One lock for every copy of the agent in this JVM, whatever loaded it: a string literal is one
     * interned object per JVM. A second {@code -javaagent} of the jar starts while the first one's
     * start-up still runs, and must find it active rather than weave the JDK a second time. (The class's
     * name before it moved to this package: a copy of an earlier version takes the same lock.)
     */
    private static final Object ONE_START_UP_PER_JVM = "dev.keepaliveagent.StartUp";

    /** At most this many names of connections for doctor: a server with thousands of peers gets a sample. */
    private static final int DOCTOR_HOST_NAMES = 1000;

    private final AgentConfig config;
    private final Instrumentation instrumentation;
    private final boolean attached;
    private final StartUpTimeline timeline;
    private final long appWaitedMillis;
    private final String version;

    StartUp(AgentConfig config, Instrumentation instrumentation, boolean attached, StartUpTimeline timeline,
            long appWaitedMillis, String version) {
        this.version = version;
        this.config = config;
        this.instrumentation = instrumentation;
        this.attached = attached;
        this.timeline = timeline;
        this.appWaitedMillis = appWaitedMillis;
    }

    @Override
    public void run() {
        synchronized (ONE_START_UP_PER_JVM) {
            try {
                startUp();
            } catch (Exception | LinkageError e) {
                AgentLog.error("could not start, the app runs without keepalive: " + e);
                InternalErrorLog.countStartFailure(e);
            } finally {
                AgentLog.startUpDone();
                tellStartUpEnded();
            }
        }
    }

    private static void tellStartUpEnded() {
        try {
            Switchboard.startUpEnded();
        } catch (LinkageError notInjected) {
            // the start-up failed before the bootstrap classes were there: nobody waits on them
        }
    }

    private void startUp() throws Exception {
        if (JdkAccess.alreadyActive()) {
            // A second instance would weave the JDK's classes a second time (the first one's
            // transformer stays registered): its hooks would run twice.
            AgentLog.warn("keepalive-agent is already active in this JVM (loaded at start-up or by an earlier attach);"
                    + " this load changes nothing, the settings in force stay as they are");
            return;
        }
        JdkAccess.openInternals(instrumentation);
        timeline.mark("modules");
        JdkAccess.injectIntoBootstrap(instrumentation, BOOTSTRAP_CLASSES);
        timeline.mark("bootstrap classes");
        // Only now may a class that refers to the bootstrap classes load.
        InternalErrorLog.install();
        Telemetry telemetry = new Telemetry();
        Map<Integer, String> exporters = InProcessExporters.ofThisJvm();
        Rules rules = config.rules().leavingAloneAcceptedOn(exporters.keySet());
        int jdk = JavaFeature.running();
        Instrumenter instrumenter = new Instrumenter(instrumentation,
                WovenClassCache.forConfig(config.cacheEnabled(), config.cacheDirectory().orElse(null)), jdk);
        // Before the tuners load sun.nio.ch.Net: a class woven as it loads (its hooks do nothing until a
        // tuner listens) is neither retransformed nor compared with the runtime image's copy.
        instrumenter.weaveAsLoaded();
        timeline.mark("cache");
        // One lifecycle for the JDK's sockets and Netty's channels; the options this JDK can set are known
        // before a hook, or the start-up window, configures a socket.
        OptionAvailability availability = new OptionAvailability();
        Map<KeepaliveOption, String> notHere = availability.checkAvailability();
        Lifecycle lifecycle = new Lifecycle(telemetry);
        SocketRegistry registry = new SocketRegistry();
        JdkEndpoints endpoints = new JdkEndpoints(new JdkSockets(), availability);
        SocketTuner tuner = SocketTuner.startListening(rules, lifecycle, registry, endpoints);
        NettyTuner nettyTuner = NettyTuner.startListening(rules, lifecycle);
        timeline.mark("tuners");
        NettyStatus netty = new NettyStatus(instrumenter, nettyTuner);
        AgentMBean mbean = new AgentMBean(version, config, telemetry, netty);
        mbean.registerWhenServerUp();
        List<String> targets = instrumenter.install(attached);
        mbean.hooked(targets);
        timeline.mark(instrumenter.wovenFromCache() == instrumenter.wovenCount() ? "weaving (from the cache)" : "weaving");
        String cannotLook = StartUpWindow.whyItCannotLook();
        Rescue rescue = new Rescue(rules, lifecycle, registry, endpoints, telemetry, attached);
        if (cannotLook == null) {
            tuner.adoptFrom(rescue);
        }
        List<String> opened = cannotLook == null ? StartUpWindow.configureWhatWasOpened(rescue) : Collections.<String>emptyList();
        if (cannotLook != null) {
            rescue.windowClosed();
        }
        timeline.mark(attached ? "rescue" : "sockets opened meanwhile");
        for (String warning : config.warnings()) {
            AgentLog.warn(warning);
        }
        for (Map.Entry<KeepaliveOption, String> option : notHere.entrySet()) {
            if (!config.asksFor(option.getKey())) {
                continue; // off by default, and nobody asked for it
            }
            AgentLog.warn(option.getKey().key() + " cannot be applied here (" + option.getValue() + "); "
                    + option.getKey().whereNotApplied());
        }
        Mesh mesh = mbean.meshAtStartUp();
        if (mesh != Mesh.NONE) {
            AgentLog.warn(mesh.advice());
        }
        timeline.mark("checks");
        AttachProperties.publish(version, config.toString(), rules.toString(), mbean,
                () -> registry.hostNames(DOCTOR_HOST_NAMES));
        AgentLog.info("keepalive-agent " + version + " on JDK " + System.getProperty("java.runtime.version")
                + ": " + config.describe(notHere.keySet()) + (mesh == Mesh.NONE ? "" : "; but " + mesh.startUpClause())
                + "; " + targets.size() + " JDK methods hooked"
                + " (start-up took " + timeline.totalMillis() + " ms" + (attached ? "" : ", of which the app waited "
                + appWaitedMillis + " ms") + ", " + instrumenter.wovenFromCache() + " of " + instrumenter.wovenCount()
                + " classes from the cache)"
                + (attached ? "" : "; sockets opened while it started: "
                        + (cannotLook == null ? String.valueOf(opened.size()) : "not looked for (" + cannotLook + ")"))
                + "; Netty native transports: " + netty.describe() + leftAlone(exporters));
        if (AgentLog.isDebugEnabled()) {
            AgentLog.debug("hooked: " + String.join(", ", targets));
        }
        if (attached && !config.hasAgentArguments()) {
            AgentLog.info("attached without agent arguments: the settings above are the defaults, or the JVM's own -D"
                    + " keepalive.* and KEEPALIVE_* (jcmd JVMTI.agent_load drops '=' and what follows it from the"
                    + " arguments; to give settings: java -jar keepalive-agent.jar attach PID idle=...)");
        }
        if (attached) {
            AgentLog.info("attached: " + (cannotLook != null ? "the connections already open were not looked for (" + cannotLook + ")"
                    : opened.size() + " connection(s) already open" + (opened.isEmpty() ? "" : ": " + String.join("; ", opened))));
        } else if (!opened.isEmpty() && AgentLog.isDebugEnabled()) {
            AgentLog.debug("sockets opened while the agent started, configured now: " + String.join("; ", opened));
        }
        AfterStartUp.run(instrumentation, instrumenter, mbean, telemetry, attached);
        timeline.mark("start-up line, what comes after");
        if (AgentLog.isDebugEnabled()) {
            AgentLog.debug("start-up phases: " + timeline + "; CPU of this thread (" + Thread.currentThread().getName()
                    + "): " + StartUpTimeline.threadCpu());
        }
    }

    /** The start-up line's word on the exporters' ports, whose scrapes the agent leaves alone. */
    private static String leftAlone(Map<Integer, String> exporters) {
        StringBuilder ports = new StringBuilder();
        for (Map.Entry<Integer, String> exporter : exporters.entrySet()) {
            ports.append(ports.length() == 0 ? "" : ", ").append(exporter.getKey()).append(" (").append(exporter.getValue()).append(')');
        }
        return ports.length() == 0 ? "" : "; left alone, as a scrape is a look at the JVM and not the app's traffic:"
                + " the connections accepted on port " + ports;
    }
}
