package dev.keepaliveagent.it;

import com.sun.tools.attach.VirtualMachine;
import java.util.Map;
import java.util.TreeMap;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Reads the agent's MBean in another JVM, over JMX through the attach API, as jconsole does. As a
 * main ({@code MBeanProbe PID ATTRIBUTE...}, printing {@code ATTRIBUTE value} lines) it runs where
 * the JVM's loopback is: inside the JVM's network namespace, since the local JMX agent listens there.
 */
public final class MBeanProbe {

    static final ObjectName NAME = objectName("dev.keepaliveagent:type=KeepaliveAgent");

    private MBeanProbe() {
    }

    public static void main(String[] args) throws Exception {
        try (JMXConnector jmx = connect(Long.parseLong(args[0]))) {
            MBeanServerConnection server = jmx.getMBeanServerConnection();
            for (int i = 1; i < args.length; i++) {
                Object value = server.getAttribute(NAME, args[i]);
                System.out.println(args[i] + " " + (value instanceof TabularData ? map(value) : value));
            }
        }
    }

    /** The attributes of the MBean in JVM {@code pid}, read by a probe JVM started with {@code prefix} (ip netns exec NS). */
    static Map<String, String> readIn(java.util.List<String> prefix, long pid, String... attributes) throws Exception {
        java.util.List<String> arguments = new java.util.ArrayList<>();
        arguments.add(String.valueOf(pid));
        arguments.addAll(java.util.List.of(attributes));
        Map<String, String> values = new TreeMap<>();
        try (ForkedJvm probe = ForkedJvm.startToolIn(prefix, MBeanProbe.class.getName(), arguments.toArray(new String[0]))) {
            for (String attribute : attributes) {
                String line = probe.awaitLine(attribute + " ", java.time.Duration.ofSeconds(60));
                values.put(attribute, line.substring(attribute.length() + 1));
            }
            probe.awaitSuccess(java.time.Duration.ofSeconds(60));
        }
        return values;
    }

    static JMXConnector connect(long pid) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(String.valueOf(pid));
        try {
            return JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()));
        } finally {
            vm.detach();
        }
    }

    /** An MXBean's {@code Map<String, Long>} as JMX hands it over: a table of key and value rows. */
    static Map<String, Long> map(Object tabular) {
        Map<String, Long> map = new TreeMap<>();
        for (Object row : ((TabularData) tabular).values()) {
            CompositeData entry = (CompositeData) row;
            map.put((String) entry.get("key"), (Long) entry.get("value"));
        }
        return map;
    }

    private static ObjectName objectName(String name) {
        try {
            return new ObjectName(name);
        } catch (javax.management.MalformedObjectNameException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
