package dev.keepaliveagent.cli;

import com.sun.tools.attach.VirtualMachine;
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

    private AgentStatus(long configured, long deadPeers, long suppressedErrors, String version) {
        this.configured = configured;
        this.deadPeers = deadPeers;
        this.suppressedErrors = suppressedErrors;
        this.version = version;
    }

    static AgentStatus read(long pid) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(String.valueOf(pid));
        try {
            JMXServiceURL url = new JMXServiceURL(vm.startLocalManagementAgent());
            try (JMXConnector connector = JMXConnectorFactory.connect(url)) {
                MBeanServerConnection server = connector.getMBeanServerConnection();
                ObjectName name = new ObjectName(AgentMBean.OBJECT_NAME);
                return new AgentStatus((Long) server.getAttribute(name, "ConfiguredConnectionsTotal"),
                        (Long) server.getAttribute(name, "DeadPeersTotal"),
                        (Long) server.getAttribute(name, "SuppressedErrors"),
                        (String) server.getAttribute(name, "Version"));
            }
        } finally {
            vm.detach();
        }
    }
}
