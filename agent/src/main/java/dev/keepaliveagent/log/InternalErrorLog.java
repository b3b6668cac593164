package dev.keepaliveagent.log;

import dev.keepaliveagent.boot.Switchboard;
import java.util.function.BiConsumer;

/**
 * Writes the errors the agent swallowed ({@code Switchboard.suppressed}) to its log: the first of
 * each kind (what the agent was doing, and the error's type) at WARN, with where it was thrown,
 * so that a bug report can start from that one line; the rest are counted, not logged. And the
 * installs the switchboard refused, which are no error of the agent's.
 */
public final class InternalErrorLog implements BiConsumer<String, Throwable> {

    /** Call only once the switchboard is in the bootstrap loader (a class literal before that would load a copy). */
    public static void install() {
        if (!Switchboard.installErrorLog(new InternalErrorLog())) {
            throw new IllegalStateException("the switchboard has an error log already, not the agent's");
        }
    }

    /** Counts a failed start-up too, where it got far enough for the switchboard to exist. */
    public static void countStartFailure(Throwable error) {
        try {
            Class.forName("dev.keepaliveagent.boot.Switchboard", false, null);
        } catch (ClassNotFoundException notInjected) {
            return; // nothing could count or read it: the ERROR line is all there is
        }
        try {
            Switchboard.suppressed("starting the agent", error);
        } catch (LinkageError halfInjected) {
            // the start-up failed while it put the switchboard in place: the ERROR line is all there is
        }
    }

    @Override
    public void accept(String doing, Throwable error) {
        if (error instanceof SecurityException) {
            AgentLog.warnOnce("refused " + doing + " " + error.getMessage(), "refused " + doing + ": " + error.getMessage()
                    + "; the agent's own stays in place (RefusedInstalls in the MBean counts every refusal). Code in this JVM"
                    + " tried to take the agent's place: a second copy of the agent, or the app");
            return;
        }
        StackTraceElement[] where = error.getStackTrace();
        AgentLog.warnOnce("internal " + doing + " " + error.getClass().getName(),
                "internal error while " + doing + ": " + error + (where.length > 0 ? " at " + where[0] : "")
                + "; the app is unaffected, but this was left undone: please report it"
                + " (SuppressedErrors in the MBean counts every such error)");
    }
}
