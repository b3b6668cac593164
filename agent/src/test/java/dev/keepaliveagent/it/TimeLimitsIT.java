package dev.keepaliveagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The suite's own limits hold: a test whose child hangs ends at its timeout, the child is killed and its
 * output shown; a command that never ends is killed at its limit. Run through JUnit's launcher on a
 * fixture that is not itself part of the suite, so that the failure it must produce fails nothing else.
 */
class TimeLimitsIT {

    private static final AtomicLong HUNG_CHILD = new AtomicLong();

    @Test
    void aTestWhoseChildHangsEndsAtItsTimeoutWithTheChildKilledAndItsOutputShown() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = System.out;
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClass(HangingFixture.class)).build(), listener);
        } finally {
            System.setOut(out);
        }
        TestExecutionSummary summary = listener.getSummary();
        assertEquals(1, summary.getTestsFailedCount(), () -> printed.toString(StandardCharsets.UTF_8));
        Throwable failure = summary.getFailures().get(0).getException();
        assertTrue(failure instanceof TimeoutException && failure.getMessage().contains("timed out after 3 seconds"),
                failure::toString);
        long pid = HUNG_CHILD.get();
        assertTrue(pid > 0, "the fixture started its child");
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the hung child was killed");
        String shown = printed.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("failed] child JVM " + pid + " (still running)") && shown.contains("HANGING"), shown);
    }

    @Test
    void aCommandThatNeverEndsIsKilledAtItsLimitWithWhatItPrinted() {
        AssertionError killed = assertThrows(AssertionError.class, () -> Command.run(
                List.of("bash", "-c", "echo started; exec sleep 600"), Map.of(), null, Duration.ofSeconds(1)));
        assertTrue(killed.getMessage().startsWith("killed after PT1S, still running: bash -c")
                && killed.getMessage().contains("stdout: started"), killed::getMessage);
    }

    /** Not run by the suite (a nested class): run above, through the launcher. */
    static class HangingFixture {

        @Test
        @Timeout(3)
        void waitsForAChildThatNeverEnds() throws Exception {
            ForkedJvm child = ForkedJvm.start(null, HangingScenario.class.getName());
            HUNG_CHILD.set(child.pid());
            child.awaitLine("HANGING", Duration.ofSeconds(60));
            child.awaitExit(Duration.ofHours(1));
        }
    }
}
