package dev.keepaliveagent.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FailureClassifierTest {

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
        "java.io.IOException              | Connection timed out               | TIMED_OUT",
        "java.net.SocketException         | Connection timed out (Read failed) | TIMED_OUT",
        "java.io.IOException              | Operation timed out                | TIMED_OUT",
        "sun.net.ConnectionResetException | Connection reset                   | RESET",
        "java.net.SocketException         | Connection reset by peer           | RESET",
        "java.io.IOException              | No route to host                   | HOST_UNREACHABLE",
        "java.net.NoRouteToHostException  | Keine Route zum Zielrechner        | HOST_UNREACHABLE",
        "java.io.IOException              | Host is down                       | HOST_UNREACHABLE",
        "java.io.IOException              | Host is unreachable                | HOST_UNREACHABLE",
        "java.io.IOException              | Network is unreachable             | NETWORK_UNREACHABLE",
        "java.io.IOException              | Broken pipe                        | ALREADY_CLOSED",
        "java.io.IOException              | Software caused connection abort   | ALREADY_CLOSED",
        "java.net.SocketException         | Socket closed                      | NONE",
        "java.net.SocketTimeoutException  | Read timed out                     | NONE",
        "java.nio.channels.AsynchronousCloseException | NONE                   | NONE",
        "java.nio.channels.ClosedByInterruptException | NONE                   | NONE",
        "java.nio.channels.ClosedChannelException     | NONE                   | NONE",
        "java.io.IOException              | Bad file descriptor                | NONE",
        "java.io.IOException              | NONE                               | NONE",
    })
    void classifies(String type, String message, DeadPeerCause expected) throws Exception {
        assertEquals(expected, FailureClassifier.classify(exception(type, message)));
    }

    private static Throwable exception(String type, String message) throws Exception {
        switch (type) {
            case "java.net.SocketException": return new SocketException(message);
            case "java.net.NoRouteToHostException": return new NoRouteToHostException(message);
            case "java.net.SocketTimeoutException": return new SocketTimeoutException(message);
            case "java.nio.channels.AsynchronousCloseException": return new AsynchronousCloseException();
            case "java.nio.channels.ClosedByInterruptException": return new ClosedByInterruptException();
            case "java.nio.channels.ClosedChannelException": return new ClosedChannelException();
            case "sun.net.ConnectionResetException": return (Throwable) Class.forName(type)
                    .getConstructor(String.class).newInstance(message);
            default: return new IOException(message);
        }
    }
}
