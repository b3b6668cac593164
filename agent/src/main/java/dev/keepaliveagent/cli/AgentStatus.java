package dev.keepaliveagent.cli;

import dev.keepaliveagent.observe.AgentMBean;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * What the agent inside another JVM says of itself, read from its MBean: through the attach API,
 * which starts that JVM's local JMX agent (as jconsole and {@code jcmd ManagementAgent.start_local}
 * do; it listens to local processes only), then over JMX.
 */
final class AgentStatus {

    final long configured;
    final long deadPeers;
    final long suppressedErrors;
    final String version;
    /** The JDK methods it hooks. */
    final java.util.List<String> hooked;
    /** Kinds of connection whose first one the kernel showed without what the agent set. */
    final java.util.List<String> readBackMismatches;

    private AgentStatus(long configured, long deadPeers, long suppressedErrors, String version, java.util.List<String> hooked,
                        java.util.List<String> readBackMismatches) {
        this.hooked = hooked;
        this.configured = configured;
        this.deadPeers = deadPeers;
        this.suppressedErrors = suppressedErrors;
        this.version = version;
        this.readBackMismatches = readBackMismatches;
    }

    /** The keys of an MXBean's map attribute, which JMX hands over as a table of (key, value) rows. */
    private static java.util.List<String> keys(Object map) {
        java.util.List<String> keys = new java.util.ArrayList<>();
        if (map instanceof javax.management.openmbean.TabularData) {
            for (Object row : ((javax.management.openmbean.TabularData) map).values()) {
                keys.add(String.valueOf(((javax.management.openmbean.CompositeData) row).get("key")));
            }
        }
        java.util.Collections.sort(keys);
        return keys;
    }

    static AgentStatus read(long pid) throws Exception {
        try (TargetJvm vm = TargetJvm.attach(pid)) {
            JMXServiceURL url = new JMXServiceURL(vm.localManagementAgent());
            try (JMXConnector connector = JMXConnectorFactory.connect(url)) {
                MBeanServerConnection server = connector.getMBeanServerConnection();
                ObjectName name = new ObjectName(AgentMBean.OBJECT_NAME);
                return new AgentStatus((Long) server.getAttribute(name, "ConfiguredConnectionsTotal"),
                        (Long) server.getAttribute(name, "DeadPeersTotal"),
                        (Long) server.getAttribute(name, "SuppressedErrors"),
                        (String) server.getAttribute(name, "Version"),
                        java.util.Arrays.asList((String[]) server.getAttribute(name, "HookedMethods")),
                        keys(server.getAttribute(name, "ReadBackMismatches")));
            }
        }
    }
}
