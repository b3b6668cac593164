package dev.keepaliveagent.observe;

import dev.keepaliveagent.JavaFeature;
import dev.keepaliveagent.boot.Switchboard;
import java.util.Properties;

/**
 * What the agent tells the tools that attach to its JVM ({@code attach}, {@code doctor}) of itself: its
 * version and the settings in force, in the JVM's agent properties, which the attach API hands to any
 * process of the same user ({@code VirtualMachine.getAgentProperties}) without starting JMX. They are
 * not system properties: the app never sees them.
 */
public final class AttachProperties {

    public static final String VERSION = "dev.keepaliveagent.version";
    public static final String SETTINGS = "dev.keepaliveagent.settings";

    private AttachProperties() {
    }

    public static void publish(String version, String settings) {
        try {
            String vmSupport = JavaFeature.running() >= 9 ? "jdk.internal.vm.VMSupport" : "sun.misc.VMSupport";
            Properties properties = (Properties) Class.forName(vmSupport).getMethod("getAgentProperties").invoke(null);
            properties.setProperty(VERSION, version);
            properties.setProperty(SETTINGS, settings);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            Switchboard.suppressed("telling attach clients the settings in force", e);
        }
    }
}
