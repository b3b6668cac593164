package dev.keepaliveagent.cli;

import dev.keepaliveagent.observe.AttachProperties;
import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.util.Properties;

/**
 * Another JVM of the same user, through the JDK's attach API ({@code com.sun.tools.attach.VirtualMachine},
 * by reflection: its class is not on JDK 8's class path; Byte Buddy's attachment provider finds it in
 * {@code tools.jar} on 8 and in {@code jdk.attach} on 9+).
 */
final class TargetJvm implements AutoCloseable {

    private static final String LOCAL_CONNECTOR = "com.sun.management.jmxremote.localConnectorAddress";

    private final Class<?> type;
    private final Object vm;

    private TargetJvm(Class<?> type, Object vm) {
        this.type = type;
        this.vm = vm;
    }

    /** Fails as the attach API does: no such JVM, another user's, or one started with -XX:+DisableAttachMechanism. */
    static TargetJvm attach(long pid) throws Exception {
        Class<?> type = virtualMachineType();
        return new TargetJvm(type, call(type, null, "attach", String.valueOf(pid)));
    }

    private static Class<?> virtualMachineType;

    /**
     * Found once per process: on JDK 8 each look-up loads {@code tools.jar} in a class loader of its own, and
     * the second one's attach fails, as {@code libattach.so} is "already loaded in another classloader".
     */
    private static synchronized Class<?> virtualMachineType() {
        if (virtualMachineType == null) {
            net.bytebuddy.agent.ByteBuddyAgent.AttachmentProvider.Accessor accessor =
                    net.bytebuddy.agent.ByteBuddyAgent.AttachmentProvider.DEFAULT.attempt();
            if (!accessor.isAvailable()) {
                throw new IllegalStateException("this JDK has no attach API (a JRE without tools.jar or jdk.attach?)");
            }
            virtualMachineType = accessor.getVirtualMachineType();
        }
        return virtualMachineType;
    }

    /** The settings the agent in that JVM says are in force, as its start-up line gives them; null if it runs none. */
    String agentSettings() throws Exception {
        return agentProperties().getProperty(AttachProperties.SETTINGS);
    }

    String agentVersion() throws Exception {
        return agentProperties().getProperty(AttachProperties.VERSION);
    }

    private Properties agentProperties() throws Exception {
        return (Properties) call(type, vm, "getAgentProperties");
    }

    void loadAgent(String jar, String arguments) throws Exception {
        type.getMethod("loadAgent", String.class, String.class).invoke(vm, jar, arguments);
    }

    /**
     * The JMX address of the JVM's local management agent, started if need be: by
     * {@code startLocalManagementAgent} on JDK 9+, by loading JDK 8's {@code management-agent.jar} before.
     */
    String localManagementAgent() throws Exception {
        try {
            type.getMethod("startLocalManagementAgent");
        } catch (NoSuchMethodException jdk8) {
            String address = agentProperties().getProperty(LOCAL_CONNECTOR);
            if (address == null) {
                String home = ((Properties) call(type, vm, "getSystemProperties")).getProperty("java.home");
                call(type, vm, "loadAgent", home + File.separator + "lib" + File.separator + "management-agent.jar");
                address = agentProperties().getProperty(LOCAL_CONNECTOR);
            }
            return address;
        }
        return (String) call(type, vm, "startLocalManagementAgent");
    }

    @Override
    public void close() throws Exception {
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
