package dev.keepaliveagent;

/**
 * Where the agent's start-up time goes, phase by phase, for {@code log=debug} and the start-up
 * benchmark: {@code arguments 9.4, modules 7.7, ... ms}. Plain arithmetic, no formatter: it runs
 * on the start-up path it measures.
 */
final class StartUpTimeline {

    private final long started = System.nanoTime();
    private long last = started;
    private final StringBuilder phases = new StringBuilder();

    /** Ends the phase running since the last mark. */
    void mark(String phase) {
        long now = System.nanoTime();
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

    private static String tenths(long nanos) {
        long tenths = nanos / 100_000;
        return tenths / 10 + "." + tenths % 10;
    }
}
