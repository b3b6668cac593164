package dev.keepaliveagent.cli;

import dev.keepaliveagent.observe.AgentMBean;
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.util.Properties;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * What the agent inside another JVM says of itself, read from its MBean: through the attach API,
 * which starts that JVM's local JMX agent (as jconsole and {@code jcmd ManagementAgent.start_local}
 * do; it listens to local processes only), then over JMX. The attach API is reached through Byte Buddy's
 * attachment provider, which finds it in {@code tools.jar} on JDK 8 and in {@code jdk.attach} on 9+.
 */
final class AgentStatus {

    final long configured;
    final long deadPeers;
    final long suppressedErrors;
    final String version;
    /** Kinds of connection whose first one the kernel showed without what the agent set. */
    final java.util.List<String> readBackMismatches;

    private AgentStatus(long configured, long deadPeers, long suppressedErrors, String version,
                        java.util.List<String> readBackMismatches) {
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
        VirtualMachineApi vm = VirtualMachineApi.attach(pid);
        try {
            JMXServiceURL url = new JMXServiceURL(vm.localManagementAgent());
            try (JMXConnector connector = JMXConnectorFactory.connect(url)) {
                MBeanServerConnection server = connector.getMBeanServerConnection();
                ObjectName name = new ObjectName(AgentMBean.OBJECT_NAME);
                return new AgentStatus((Long) server.getAttribute(name, "ConfiguredConnectionsTotal"),
                        (Long) server.getAttribute(name, "DeadPeersTotal"),
                        (Long) server.getAttribute(name, "SuppressedErrors"),
                        (String) server.getAttribute(name, "Version"),
                        keys(server.getAttribute(name, "ReadBackMismatches")));
            }
        } finally {
            vm.detach();
        }
    }

    /** {@code com.sun.tools.attach.VirtualMachine}, by reflection: its class is not on JDK 8's class path. */
    private static final class VirtualMachineApi {
        private static final String LOCAL_CONNECTOR = "com.sun.management.jmxremote.localConnectorAddress";

        private final Class<?> type;
        private final Object vm;

        private VirtualMachineApi(Class<?> type, Object vm) {
            this.type = type;
            this.vm = vm;
        }

        static VirtualMachineApi attach(long pid) throws Exception {
            net.bytebuddy.agent.ByteBuddyAgent.AttachmentProvider.Accessor accessor =
                    net.bytebuddy.agent.ByteBuddyAgent.AttachmentProvider.DEFAULT.attempt();
            if (!accessor.isAvailable()) {
                throw new IllegalStateException("this JDK has no attach API (a JRE without tools.jar or jdk.attach?)");
            }
            Class<?> type = accessor.getVirtualMachineType();
            return new VirtualMachineApi(type, call(type, null, "attach", String.valueOf(pid)));
        }

        /**
         * The JMX address of the JVM's local management agent, started if need be: by
         * {@code startLocalManagementAgent} on JDK 9+, by loading JDK 8's {@code management-agent.jar} before.
         */
        String localManagementAgent() throws Exception {
            try {
                type.getMethod("startLocalManagementAgent");
            } catch (NoSuchMethodException jdk8) {
                String address = ((Properties) call(type, vm, "getAgentProperties")).getProperty(LOCAL_CONNECTOR);
                if (address == null) {
                    String home = ((Properties) call(type, vm, "getSystemProperties")).getProperty("java.home");
                    call(type, vm, "loadAgent", home + File.separator + "lib" + File.separator + "management-agent.jar");
                    address = ((Properties) call(type, vm, "getAgentProperties")).getProperty(LOCAL_CONNECTOR);
                }
                return address;
            }
            return (String) call(type, vm, "startLocalManagementAgent");
        }

        void detach() throws Exception {
            call(type, vm, "detach");
        }

        private static Object call(Class<?> type, Object target, String method, String... arguments) throws Exception {
            Class<?>[] types = new Class<?>[arguments.length];
            java.util.Arrays.fill(types, String.class);
            try {
                return type.getMethod(method, types).invoke(target, (Object[]) arguments);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                throw cause instanceof Exception ? (Exception) cause : e;
            }
        }
    }
}
