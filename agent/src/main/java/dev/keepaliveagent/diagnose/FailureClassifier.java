package dev.keepaliveagent.diagnose;

import java.net.NoRouteToHostException;
import java.util.Locale;

/**
 * Maps what the JDK's native socket code threw to a {@link DeadPeerCause}, or to none when the
 * failure says nothing about the peer, in every language the server speaks. In this order: the
 * exception's type where the JDK has one ({@code sun.net.ConnectionResetException}, the JDK's own
 * words); then the kernel's view of the connection ({@link TcpState}: closed with probes or
 * retransmissions unanswered, or closed without); only where the kernel no longer has the socket or
 * still has it open, the message, which the JDK takes from the C library's {@code strerror} and which
 * is matched against the English wordings of glibc and musl for each errno.
 */
public final class FailureClassifier {

    private FailureClassifier() {
    }

    /** As {@link #classify(Throwable, TcpState)}, without the kernel's view: by type and English message only. */
    public static DeadPeerCause classify(Throwable failure) {
        return classify(failure, null);
    }

    /**
     * The cause of a death seen from outside the failing call (a thread blocked in code woven too
     * late reports nothing): the kernel's view at the last look before it closed the connection,
     * null if there was none. Probes or retransmissions unanswered then: it gave up on the peer;
     * otherwise it cannot tell a timeout from a reset.
     */
    public static DeadPeerCause classifyFromOutside(TcpState lastBefore, TcpState closed, boolean userTimeoutSet) {
        TcpState seen = lastBefore != null && lastBefore.unanswered() ? lastBefore : closed;
        if (userTimeoutSet && seen != null && seen.dataInFlight()) {
            return DeadPeerCause.USER_TIMEOUT;
        }
        return lastBefore != null && lastBefore.unanswered() ? DeadPeerCause.TIMED_OUT : DeadPeerCause.DROPPED;
    }

    /**
     * As {@link #classify(Throwable, TcpState)}, for a connection that had a user timeout set: with data
     * in flight the kernel gave up on that timeout, whatever soft error ("No route to host") it handed over.
     */
    public static DeadPeerCause classify(Throwable failure, TcpState kernel, boolean userTimeoutSet) {
        DeadPeerCause cause = classify(failure, kernel);
        return userTimeoutSet && cause != null && cause.isUnanswered() && kernel != null && kernel.dataInFlight()
                ? DeadPeerCause.USER_TIMEOUT : cause;
    }

    /**
     * The cause, or null when {@code failure} is not a sign of a dead peer; {@code kernel} is the
     * connection's state just after the failure, or null where it cannot be read.
     */
    public static DeadPeerCause classify(Throwable failure, TcpState kernel) {
        if (raisedAboveTheKernel(failure)) {
            return null;
        }
        if (failure.getClass().getName().equals("sun.net.ConnectionResetException")) {
            return DeadPeerCause.RESET;
        }
        if (kernel != null && kernel.closed()) {
            // Keepalive probes or data went unanswered until the kernel gave up, whatever error the last
            // ICMP message left (timed out, no route); without any, the peer had reset the connection.
            return kernel.unanswered() ? DeadPeerCause.TIMED_OUT : DeadPeerCause.ALREADY_CLOSED;
        }
        return byEnglishMessage(failure);
    }

    /**
     * A read timeout, an interrupt or the app's own close: raised above the kernel, it says nothing of
     * the peer, and is told without asking the kernel.
     */
    public static boolean raisedAboveTheKernel(Throwable failure) {
        return failure == null || failure instanceof java.io.InterruptedIOException
                || failure instanceof java.nio.channels.ClosedChannelException;
    }

    private static DeadPeerCause byEnglishMessage(Throwable failure) {
        if (failure instanceof NoRouteToHostException) {
            return DeadPeerCause.HOST_UNREACHABLE;
        }
        String message = failure.getMessage();
        if (message == null) {
            return null;
        }
        String text = message.toLowerCase(Locale.ROOT);
        if (text.contains("connection timed out") || text.contains("operation timed out")) {
            return DeadPeerCause.TIMED_OUT;
        }
        if (text.contains("connection reset")) {
            return DeadPeerCause.RESET;
        }
        if (text.contains("no route to host") || text.contains("host is down") || text.contains("host is unreachable")) {
            return DeadPeerCause.HOST_UNREACHABLE;
        }
        if (text.contains("network is unreachable") || text.contains("network unreachable")) {
            return DeadPeerCause.NETWORK_UNREACHABLE;
        }
        if (text.contains("broken pipe") || text.contains("connection abort")) {
            return DeadPeerCause.ALREADY_CLOSED;
        }
        return null;
    }
}
