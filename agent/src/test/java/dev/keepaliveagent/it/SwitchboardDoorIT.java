package dev.keepaliveagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The agent's bootstrap API is no door: plain app code, with no flag, can neither take the agent's
 * place on the switchboard nor reach its listener, its class loader or its {@code Instrumentation},
 * and the app's next connection still gets keepalive, as the kernel shows.
 */
class SwitchboardDoorIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void appCodeCannotTakeTheAgentsPlaceAndItsNextConnectionStillGetsKeepalive() throws Exception {
        try (ForkedJvm child = ForkedJvm.start("idle=77", SwitchboardDoorScenario.class.getName())) {
            assertEquals("INSTALL false", child.awaitLine("INSTALL ", TIMEOUT), "a second install is refused");
            assertEquals("SWITCHBOARD-FIELDS []", child.awaitLine("SWITCHBOARD-FIELDS ", TIMEOUT),
                    "the public class the app can reflect on holds nothing");
            assertEquals("MBEAN-LOADER bootstrap", child.awaitLine("MBEAN-LOADER ", TIMEOUT),
                    "the MBean server does not hand out the agent's class loader");
            assertEquals("INSTRUMENTATION-IN-REACH []", child.awaitLine("INSTRUMENTATION-IN-REACH ", TIMEOUT));
            assertEquals("CONNECTION keepalive=true idle=77 accepted-keepalive=true", child.awaitLine("CONNECTION ", TIMEOUT));
            String[] ports = child.awaitLine("PORTS ", TIMEOUT).split(" ");
            KernelView kernel = KernelView.of(Integer.parseInt(ports[1]), Integer.parseInt(ports[2])).orElseThrow(
                    () -> new AssertionError("the connection is not established while the child holds it"));
            assertEquals("STOLEN 0", child.awaitLine("STOLEN ", TIMEOUT), "the app's listener heard nothing");
            child.release();
            assertTrue(kernel.keepaliveTimerRunning(), kernel::toString);
            String refusal = child.awaitStderr("[keepalive-agent] WARN: refused installing the socket listener on the"
                    + " switchboard: refused ", TIMEOUT);
            assertTrue(refusal.contains(": only the agent installs it, once; the agent's own stays in place (RefusedInstalls in"
                    + " the MBean counts every refusal). Code in this JVM tried to take the agent's place: a second copy of the"
                    + " agent, or the app"), refusal);
            assertEquals(1, child.stderrLinesWith("installing the socket listener on the switchboard"), "one line");
        }
    }

    @Test
    void reflectionOnWhereTheAgentKeepsItsListenerFails() throws Exception {
        if (TestJvm.feature() == 8) {
            Assumptions.abort("not on JDK 8: it has no modules, and reflection reaches every field there, as it reaches"
                    + " sun.misc.Unsafe");
        }
        try (ForkedJvm child = ForkedJvm.start("idle=77", SwitchboardDoorScenario.class.getName())) {
            assertEquals("EVENTS-REFLECTION threw java.lang.reflect.InaccessibleObjectException",
                    child.awaitLine("EVENTS-REFLECTION ", TIMEOUT));
            child.awaitLine("STOLEN ", TIMEOUT);
            child.release();
        }
    }
}
