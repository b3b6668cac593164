package dev.keepaliveagent.jdk;

import dev.keepaliveagent.boot.Switchboard;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import javax.management.MBeanServer;

/** The JVM's platform MBean server if something created it already, found without creating it. */
public final class PlatformMBeanServer {

    private PlatformMBeanServer() {
    }

    /**
     * The server {@code managementFactory} holds, or null: when {@code ManagementFactory} is not
     * loaded (null here) nobody can have created it. {@code java.lang.management} must be open to the
     * agent ({@code JdkAccess.openManagement}). Reads the field rather than calling
     * {@code getPlatformMBeanServer()}, which would create the server when it is not up yet.
     */
    public static MBeanServer ifUp(Class<?> managementFactory) {
        if (managementFactory == null) {
            return null;
        }
        try {
            MethodHandle field = PrivateMembers.getter(MethodHandles.lookup(), managementFactory, "platformMBeanServer", MBeanServer.class);
            return (MBeanServer) field.invokeExact();
        } catch (Throwable t) {
            // The MBean then comes when the server is next asked for, if ever.
            Switchboard.suppressed("looking for a platform MBean server created before the agent", t);
            return null;
        }
    }
}
