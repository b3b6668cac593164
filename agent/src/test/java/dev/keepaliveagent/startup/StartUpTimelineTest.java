package dev.keepaliveagent.startup;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The timeline the benchmark reads: phases in tenths of a millisecond, and the thread's CPU from the kernel. */
class StartUpTimelineTest {

    @Test
    void phasesAddUpToTheTotal() throws Exception {
        StartUpTimeline timeline = new StartUpTimeline(0);
        timeline.mark("arguments", 1_250_000);
        timeline.mark("weaving", 3_000_000);
        assertTrue(timeline.toString().equals("arguments 1.2, weaving 1.7 ms (total 3.0 ms)"), timeline::toString);
    }

    /**
     * Read from /proc/thread-self/schedstat in nanoseconds: over 50 ms of this thread's CPU, as the JVM's own
     * ThreadMXBean counts it (however long that takes on a loaded machine), it grows by as much.
     */
    @Test
    void theThreadsCpuIsWhatTheJvmCountsForIt() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        double before = millis(StartUpTimeline.threadCpu());
        long jvmBefore = threads.getCurrentThreadCpuTime();
        while (threads.getCurrentThreadCpuTime() - jvmBefore < 50_000_000) {
            Thread.onSpinWait();
        }
        double after = millis(StartUpTimeline.threadCpu());
        double jvm = (threads.getCurrentThreadCpuTime() - jvmBefore) / 1e6;
        assertTrue(Math.abs((after - before) - jvm) < 5, () -> "schedstat: +" + (after - before) + " ms, ThreadMXBean: +" + jvm + " ms");
    }

    private static double millis(String cpu) {
        assertTrue(cpu.matches("[0-9]+\\.[0-9] ms"), cpu);
        return Double.parseDouble(cpu.substring(0, cpu.indexOf(' ')));
    }
}
