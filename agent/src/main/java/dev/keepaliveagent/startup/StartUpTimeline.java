package dev.keepaliveagent.startup;

/**
 * Where the agent's start-up time goes, phase by phase, for {@code log=debug} and the start-up
 * benchmark: {@code arguments 9.4, modules 7.7, ... ms}. Plain arithmetic, no formatter: it runs
 * on the start-up path it measures.
 */
final class StartUpTimeline {

    private final long started;
    private long last;
    private final StringBuilder phases = new StringBuilder();

    /** From {@code started}, a {@code System.nanoTime()}. */
    StartUpTimeline(long started) {
        this.started = started;
        this.last = started;
    }

    /** Ends the phase running since the last mark. */
    void mark(String phase) {
        mark(phase, System.nanoTime());
    }

    /** Ends the phase running since the last mark at {@code now}, a {@code System.nanoTime()}. */
    void mark(String phase, long now) {
        phases.append(phases.length() == 0 ? "" : ", ").append(phase).append(' ').append(tenths(now - last));
        last = now;
    }

    long totalMillis() {
        return (System.nanoTime() - started) / 1_000_000;
    }

    @Override
    public String toString() {
        return phases + " ms (total " + tenths(last - started) + " ms)";
    }

    /**
     * The CPU time the calling thread has used, {@code 123.4 ms}, from the kernel's schedstat (nanoseconds, not
     * the 10 ms ticks of /proc/PID/stat), or {@code unknown} where there is none. For the benchmark's counted
     * figures: on the agent's own start-up thread, at its end, it is all that thread cost.
     */
    static String threadCpu() {
        try {
            byte[] schedstat = java.nio.file.Files.readAllBytes(java.nio.file.Paths.get("/proc/thread-self/schedstat"));
            String text = new String(schedstat, java.nio.charset.StandardCharsets.US_ASCII);
            return tenths(Long.parseLong(text.substring(0, text.indexOf(' ')))) + " ms";
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String tenths(long nanos) {
        long tenths = nanos / 100_000;
        return tenths / 10 + "." + tenths % 10;
    }
}
