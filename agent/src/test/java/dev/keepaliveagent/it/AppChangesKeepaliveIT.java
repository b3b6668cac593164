package dev.keepaliveagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keepaliveagent.it.KeepaliveCoverageIT.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rule for apps that change keepalive themselves: they may make it stricter than configured,
 * never laxer or off.
 */
class AppChangesKeepaliveIT {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"app-disables-socket", "app-disables-channel"})
    void anAppCannotSwitchKeepaliveOffOrMakeItLaxer(String kind) throws Exception {
        Scenario run = Scenario.run("idle=600,intvl=60,cnt=20", kind);
        SocketLine tested = run.ends.get(0);
        assertTrue(tested.keepalive, tested::toString);
        assertEquals(600, tested.idle, tested::toString);
        assertEquals(60, tested.intvl, tested::toString);
        assertEquals(20, tested.cnt, tested::toString);
        KernelView kernel = run.kernel(tested);
        assertTrue(kernel.keepaliveTimerRunning() && kernel.secondsToNextProbe() <= 600, kernel::toString);
        assertTrue(run.stderr.stream().anyMatch(line -> line.startsWith("[keepalive-agent] INFO: an app set SO_KEEPALIVE=false")),
                () -> "the override is logged: " + run.stderr);
        assertEquals(0, run.suppressedErrors);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"app-disables-socket", "app-disables-channel"})
    void withoutTheAgentTheAppReallyTurnsItOff(String kind) throws Exception {
        SocketLine tested = Scenario.run(null, kind).ends.get(0);
        assertFalse(tested.keepalive, tested::toString);
        assertEquals(7200, tested.idle, tested::toString);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"app-stricter-after-connect", "app-stricter-before-connect"})
    void stricterValuesTheAppSetsStand(String kind) throws Exception {
        Scenario run = Scenario.run("idle=600,intvl=60,cnt=20", kind);
        SocketLine tested = run.ends.get(0);
        assertTrue(tested.keepalive, tested::toString);
        assertEquals(30, tested.idle, tested::toString);
        assertEquals(5, tested.intvl, tested::toString);
        assertEquals(2, tested.cnt, tested::toString);
        KernelView kernel = run.kernel(tested);
        assertTrue(kernel.keepaliveTimerRunning() && kernel.secondsToNextProbe() <= 30, kernel::toString);
        assertFalse(run.stderr.stream().anyMatch(line -> line.contains("an app set")), () -> "nothing overridden: " + run.stderr);
    }

    @Test
    void laxerValuesTheAppSetsBeforeConnectingAreCapped() throws Exception {
        // The same app, configured stricter than its own choices: the agent's values win.
        SocketLine tested = Scenario.run("idle=10,intvl=2,cnt=1", "app-stricter-before-connect").ends.get(0);
        assertEquals(10, tested.idle, tested::toString);
        assertEquals(2, tested.intvl, tested::toString);
        assertEquals(1, tested.cnt, tested::toString);
    }
}
