package dev.keepaliveagent.log;

import dev.keepaliveagent.boot.Switchboard;
import java.util.function.BiConsumer;

/**
 * Writes the errors the agent swallowed ({@code Switchboard.suppressed}) to its log: the first of
 * each kind (what the agent was doing, and the error's type) at WARN, with where it was thrown,
 * so that a bug report can start from that one line; the rest are counted, not logged.
 */
public final class InternalErrorLog implements BiConsumer<String, Throwable> {

    /** Call only once the switchboard is in the bootstrap loader (a class literal before that would load a copy). */
    public static void install() {
        Switchboard.installErrorLog(new InternalErrorLog());
    }

    /** Counts a failed start-up too, where it got far enough for the switchboard to exist. */
    public static void countStartFailure(Throwable error) {
        try {
            Class.forName("dev.keepaliveagent.boot.Switchboard", false, null);
        } catch (ClassNotFoundException notInjected) {
            return; // nothing could count or read it: the ERROR line is all there is
        }
        Switchboard.suppressed("starting the agent", error);
    }

    @Override
    public void accept(String doing, Throwable error) {
        StackTraceElement[] where = error.getStackTrace();
        AgentLog.warnOnce("internal " + doing + " " + error.getClass().getName(),
                "internal error while " + doing + ": " + error + (where.length > 0 ? " at " + where[0] : "")
                + "; the app is unaffected, but this was left undone: please report it"
                + " (SuppressedErrors in the MBean counts every such error)");
    }
}
