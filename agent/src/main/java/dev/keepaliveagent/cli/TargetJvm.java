package dev.keepaliveagent.cli;

import java.lang.reflect.InvocationTargetException;
import java.util.Properties;

/**
 * Another JVM (the same user's, unless the operator said {@link ProcessOwner#FLAG}), through the JDK's attach API ({@code com.sun.tools.attach.VirtualMachine},
 * by reflection: its class is not on JDK 8's class path; Byte Buddy's attachment provider finds it in
 * {@code tools.jar} on 8 and in {@code jdk.attach} on 9+).
 */
final class TargetJvm implements AutoCloseable {

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

    /**
     * What the agent in that JVM published of itself in the JVM's agent properties (text, read without JMX
     * and without Java serialisation); null if it runs none.
     */
    AgentStatus agentStatus() throws Exception {
        return AgentStatus.of((Properties) call(type, vm, "getAgentProperties"));
    }

    void loadAgent(String jar, String arguments) throws Exception {
        type.getMethod("loadAgent", String.class, String.class).invoke(vm, jar, arguments);
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
