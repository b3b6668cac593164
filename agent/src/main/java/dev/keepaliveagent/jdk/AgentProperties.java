package dev.keepaliveagent.jdk;

import dev.keepaliveagent.JavaFeature;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.util.Properties;

/**
 * The JVM's agent properties, which an attach client ({@code jcmd PID VM.system_properties}, doctor)
 * reads: the JDK keeps them in {@code VMSupport} ({@code jdk.internal.vm} since 9, {@code sun.misc} on 8),
 * and they fall back on their {@code defaults}, a private field of {@code Properties}.
 */
public final class AgentProperties {

    private AgentProperties() {
    }

    public static Properties ofThisJvm() throws ReflectiveOperationException {
        String vmSupport = JavaFeature.running() >= 9 ? "jdk.internal.vm.VMSupport" : "sun.misc.VMSupport";
        return (Properties) Class.forName(vmSupport).getMethod("getAgentProperties").invoke(null);
    }

    public static Properties defaultsOf(Properties properties) throws Throwable {
        return (Properties) PrivateMembers.getter(MethodHandles.lookup(), Properties.class, "defaults", Properties.class)
                .invokeExact(properties);
    }

    public static void setDefaults(Properties properties, Properties defaults) throws Throwable {
        MethodHandle setter = PrivateMembers.setter(MethodHandles.lookup(), Properties.class, "defaults", Properties.class);
        setter.invokeExact(properties, defaults);
    }
}
