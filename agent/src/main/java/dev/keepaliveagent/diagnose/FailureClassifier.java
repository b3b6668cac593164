package dev.keepaliveagent.diagnose;

import java.net.NoRouteToHostException;
import java.util.Locale;

/**
 * Maps what the JDK's native socket code threw to a {@link DeadPeerCause}, or to none when the
 * failure says nothing about the peer. Exception types decide where the JDK has them
 * ({@code sun.net.ConnectionResetException}, {@code NoRouteToHostException}); otherwise the message,
 * which the JDK takes from the C library's {@code strerror}, is matched against the wordings of
 * glibc and musl for each errno.
 */
public final class FailureClassifier {

    private FailureClassifier() {
    }

    /** The cause, or null when {@code failure} is not a sign of a dead peer. */
    public static DeadPeerCause classify(Throwable failure) {
        if (failure == null) {
            return null;
        }
        if (failure.getClass().getName().equals("sun.net.ConnectionResetException")) {
            return DeadPeerCause.RESET;
        }
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
