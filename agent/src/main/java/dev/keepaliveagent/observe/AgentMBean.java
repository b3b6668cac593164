package dev.keepaliveagent.observe;

import dev.keepaliveagent.boot.Switchboard;
import dev.keepaliveagent.config.AgentConfig;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/** The agent's one MBean, registered where the JVM's platform MBean server comes up. */
public final class AgentMBean implements KeepaliveAgentMXBean {

    public static final String OBJECT_NAME = "dev.keepaliveagent:type=KeepaliveAgent";

    private final String version;
    private final AgentConfig config;
    private final Telemetry telemetry;
    private final Supplier<String> nettyStatus;

    public AgentMBean(String version, AgentConfig config, Telemetry telemetry, Supplier<String> nettyStatus) {
        this.version = version;
        this.config = config;
        this.telemetry = telemetry;
        this.nettyStatus = nettyStatus;
    }

    /**
     * Registers the MBean once the platform MBean server exists: at once if it does, else when
     * whoever needs it (the app, jconsole attaching, an exporter) asks the JVM for it. The agent
     * never creates that server: doing so at start-up would initialise {@code java.util.logging}
     * before an app (a WildFly, say) installs its own log manager.
     */
    public void registerWhenServerUp(boolean serverSurelyUp) {
        Consumer<Object> register = new Consumer<>() {
            private volatile boolean done;

            @Override
            public void accept(Object server) {
                if (done || !(server instanceof MBeanServer)) {
                    return;
                }
                synchronized (this) {
                    if (!done) {
                        done = true;
                        register((MBeanServer) server);
                    }
                }
            }
        };
        Switchboard.installMBeanServerListener(register);
        if (serverSurelyUp) {
            register.accept(java.lang.management.ManagementFactory.getPlatformMBeanServer());
        }
    }

    private void register(MBeanServer server) {
        try {
            ObjectName name = new ObjectName(OBJECT_NAME);
            if (!server.isRegistered(name)) {
                server.registerMBean(this, name);
            }
        } catch (Exception | LinkageError e) {
            Switchboard.suppressed("registering the MBean " + OBJECT_NAME, e);
        }
    }

    @Override
    public String getVersion() {
        return version;
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
