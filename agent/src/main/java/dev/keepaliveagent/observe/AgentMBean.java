package dev.keepaliveagent.observe;

import dev.keepaliveagent.boot.Switchboard;
import dev.keepaliveagent.config.AgentConfig;
import dev.keepaliveagent.config.KeepaliveOption;
import dev.keepaliveagent.config.Settings;
import dev.keepaliveagent.diagnose.Mesh;
import dev.keepaliveagent.log.AgentLog;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/** The agent's one MBean, registered where the JVM's platform MBean server comes up. */
public final class AgentMBean implements KeepaliveAgentMXBean {

    public static final String OBJECT_NAME = "dev.keepaliveagent:type=KeepaliveAgent";

    private final String version;
    private final AgentConfig config;
    private final Telemetry telemetry;
    private final Supplier<String> nettyStatus;
    private volatile java.util.List<String> hookedMethods = java.util.Collections.emptyList();
    /** The mesh as last looked for, and when (System.nanoTime): a sidecar may start listening after the app. */
    private volatile Mesh mesh = Mesh.NONE;
    private volatile long meshCheckedAt;
    private final java.util.concurrent.atomic.AtomicBoolean meshLookUnderWay = new java.util.concurrent.atomic.AtomicBoolean();
    private static final long MESH_RECHECK_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
    private volatile boolean registered;
    /** Reads the process's listening sockets; the seam where tests see which thread does. */
    private final Supplier<Mesh> meshLook;

    public AgentMBean(String version, AgentConfig config, Telemetry telemetry, Supplier<String> nettyStatus) {
        this(version, config, telemetry, nettyStatus, () -> Mesh.of(java.nio.file.Paths.get("/proc/self")));
    }

    AgentMBean(String version, AgentConfig config, Telemetry telemetry, Supplier<String> nettyStatus, Supplier<Mesh> meshLook) {
        this.version = version;
        this.config = config;
        this.telemetry = telemetry;
        this.nettyStatus = nettyStatus;
        this.meshLook = meshLook;
    }

    /**
     * Registers the MBean when the platform MBean server comes up: when whoever needs it (the app,
     * jconsole attaching, an exporter) asks the JVM for it. The agent never creates that server:
     * doing so at start-up would initialise {@code java.util.logging} before an app (a WildFly, say)
     * installs its own log manager. A server that is up already goes to {@link #registerWith}.
     */
    public void registerWhenServerUp() {
        boolean installed = Switchboard.installMBeanServerListener(new Consumer<Object>() {
            @Override
            public void accept(Object server) {
                registerWith(server);
            }
        });
        if (!installed) {
            throw new IllegalStateException("the switchboard has an MBean server listener already, not the agent's");
        }
    }

    /** Registers the MBean with {@code server} (a platform MBean server, or null: nothing), once. */
    public void registerWith(Object server) {
        if (registered || !(server instanceof MBeanServer)) {
            return;
        }
        synchronized (this) {
            if (registered) {
                return;
            }
            registered = true;
        }
        try {
            ObjectName name = new ObjectName(OBJECT_NAME);
            if (!((MBeanServer) server).isRegistered(name)) {
                // Wrapped: the server answers getClassLoaderFor with the class loader of what was registered, and the
                // agent's own loader is for no one else's code to have.
                ((MBeanServer) server).registerMBean(new StandardMBean(this, KeepaliveAgentMXBean.class, true), name);
            }
        } catch (Exception | LinkageError e) {
            Switchboard.suppressed("registering the MBean " + OBJECT_NAME, e);
        }
    }

    /** Looks for a mesh's proxy once, at start-up, for the start-up line. */
    public Mesh meshAtStartUp() {
        mesh = meshLook.get();
        meshCheckedAt = System.nanoTime();
        return mesh;
    }

    /**
     * The mesh as last looked for. Info is read at each scrape, on the reader's thread (an in-process
     * exporter's), which must not read the process's socket tables: a look older than a minute is
     * made again on a thread of the agent's own, and its answer serves the next read. A sidecar that
     * began to listen after the start-up line gets its WARN then.
     */
    Mesh meshNow() {
        if (System.nanoTime() - meshCheckedAt > MESH_RECHECK_NANOS && meshLookUnderWay.compareAndSet(false, true)) {
            Thread look = new Thread(this::lookForMeshAgain, "keepalive-agent-mesh-look");
            look.setDaemon(true);
            look.start();
        }
        return mesh;
    }

    private void lookForMeshAgain() {
        try {
            Mesh before = mesh;
            mesh = meshLook.get();
            if (mesh != before && mesh != Mesh.NONE) {
                AgentLog.warn(mesh.advice());
            }
        } catch (Throwable t) {
            Switchboard.suppressed("looking for a mesh's proxy", t);
        } finally {
            meshCheckedAt = System.nanoTime();
            meshLookUnderWay.set(false);
        }
    }

    /** The JDK methods woven, once weaving is done. */
    public void hooked(java.util.List<String> methods) {
        hookedMethods = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(methods));
    }

    @Override
    public java.util.List<String> getHookedMethods() {
        return hookedMethods;
    }

    @Override
    public String getVersion() {
        return version;
    }

    @Override
    public String getInfo() {
        Settings settings = config.settings();
        StringBuilder info = new StringBuilder("version=").append(version);
        for (KeepaliveOption option : config.shownOptions()) {
            info.append(' ').append(option.key()).append('=').append(settings.text(option));
        }
        return info.append(" rules=").append(config.rules().size()).append(" mesh=").append(meshNow().label()).toString();
    }

    @Override
    public String getSettings() {
        return config.toString();
    }

    @Override
    public String getRules() {
        return config.rules().toString();
    }

    @Override
    public Map<String, Long> getConfiguredConnections() {
        return telemetry.configuredByKind();
    }

    @Override
    public long getConfiguredConnectionsTotal() {
        return telemetry.configuredTotal();
    }

    @Override
    public Map<String, Long> getRefusedOptions() {
        return telemetry.notConfiguredByOption();
    }

    @Override
    public Map<String, Long> getDeadPeers() {
        return telemetry.deadPeersByCause();
    }

    @Override
    public long getDeadPeersTotal() {
        return telemetry.deadPeersTotal();
    }

    @Override
    public long getRescuedConnections() {
        return telemetry.rescuedConnections();
    }

    @Override
    public long getSuppressedErrors() {
        return Switchboard.suppressedErrors();
    }

    @Override
    public String getLastSuppressedError() {
        return Switchboard.lastSuppressedError();
    }

    @Override
    public long getRefusedInstalls() {
        return Switchboard.refusedInstalls();
    }

    @Override
    public Map<String, Long> getReadBackMismatches() {
        return telemetry.readBackMismatchesByKind();
    }

    @Override
    public String getNettyNativeTransports() {
        return nettyStatus.get();
    }

    @Override
    public boolean isJfrEventsRegistered() {
        return telemetry.jfrActive();
    }

}
