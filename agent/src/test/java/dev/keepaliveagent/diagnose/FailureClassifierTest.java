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

    /**
     * With the kernel's view, the same cause whatever language the C library wrote the message in
     * (state 7 is TCP_CLOSE, 1 ESTABLISHED; "-" is a socket the kernel no longer has).
     */
    @ParameterizedTest(name = "{0}: {1}, kernel {2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
        "java.net.SocketException         | Connection timed out                          | 7/0/3 | TIMED_OUT",
        "java.net.SocketException         | 连接超时                                       | 7/0/3 | TIMED_OUT",
        "java.net.SocketException         | Die Wartezeit für die Verbindung ist abgelaufen | 7/0/3 | TIMED_OUT",
        "java.net.SocketException         | 连接超时 (Read failed)                         | 7/0/3 | TIMED_OUT",
        "java.io.IOException              | Die Wartezeit für die Verbindung ist abgelaufen | 7/6/0 | TIMED_OUT",
        "java.io.IOException              | Keine Route zum Zielrechner                   | 7/0/2 | TIMED_OUT",
        "java.io.IOException              | No route to host                              | 7/4/0 | TIMED_OUT",
        "sun.net.ConnectionResetException | Connection reset                              | 7/0/1 | RESET",
        "java.io.IOException              | Datenübergabe unterbrochen (broken pipe)      | 7/0/0 | ALREADY_CLOSED",
        "java.io.IOException              | 断开的管道                                     | 7/0/0 | ALREADY_CLOSED",
        "java.io.IOException              | Broken pipe                                   | 7/0/0 | ALREADY_CLOSED",
        "java.io.IOException              | 连接超时                                       | 1/0/0 | NONE",
        "java.io.IOException              | 连接超时                                       | -     | NONE",
        "java.io.IOException              | Connection timed out                          | -     | TIMED_OUT",
        "java.io.IOException              | Broken pipe                                   | 1/0/0 | ALREADY_CLOSED",
        "java.net.SocketTimeoutException  | Read timed out                                | 7/0/3 | NONE",
        "java.nio.channels.AsynchronousCloseException | NONE                              | 7/0/0 | NONE",
    })
    void classifiesByTheKernelsViewInEveryLanguage(String type, String message, String kernel, DeadPeerCause expected)
            throws Exception {
        assertEquals(expected, FailureClassifier.classify(exception(type, message), state(kernel)));
    }

    /** With a user timeout set, data in flight that went unanswered is the user timeout, in any language. */
    @ParameterizedTest(name = "{0}, kernel {1}, user timeout {2} -> {3}")
    @CsvSource(delimiter = '|', value = {
        "No route to host     | 7/5/0 | true  | USER_TIMEOUT",
        "连接超时              | 7/5/0 | true  | USER_TIMEOUT",
        "连接超时              | 7/0/3 | true  | TIMED_OUT",
        "连接超时              | 7/5/0 | false | TIMED_OUT",
        "Broken pipe          | 7/0/0 | true  | ALREADY_CLOSED",
    })
    void dataInFlightWithAUserTimeout(String message, String kernel, boolean userTimeoutSet, DeadPeerCause expected) {
        assertEquals(expected, FailureClassifier.classify(new java.net.SocketException(message), state(kernel), userTimeoutSet));
    }

    @ParameterizedTest(name = "last look {0}, then {1}, user timeout {2} -> {3}")
    @CsvSource(delimiter = '|', value = {
        "1/0/2 | 7/0/0 | false | TIMED_OUT",
        "1/3/0 | 7/0/0 | false | TIMED_OUT",
        "1/3/0 | 7/0/0 | true  | USER_TIMEOUT",
        "1/0/2 | 7/0/0 | true  | TIMED_OUT",
        "1/0/0 | 7/0/0 | false | DROPPED",
        "-     | 7/0/0 | false | DROPPED",
        "-     | 7/4/0 | true  | USER_TIMEOUT",
    })
    void aDeathSeenFromOutsideTheFailingCall(String lastAlive, String closed, boolean userTimeoutSet, DeadPeerCause expected) {
        assertEquals(expected, FailureClassifier.classifyFromOutside(state(lastAlive), state(closed), userTimeoutSet));
    }

    /** {@code state/retransmits/probes}, as the tables write the kernel's view; "-" where it is unknown. */
    private static TcpState state(String fields) {
        if (fields.equals("-")) {
            return null;
        }
        String[] f = fields.split("/");
        return TcpState.of(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]));
    }

    @ParameterizedTest(name = "tcp_info head {0}, little-endian {1} -> {2}")
    @CsvSource({"0x03040007, true, state=7 retransmits=4 probes=3", "0x07000403, false, state=7 retransmits=4 probes=3",
        "0x00000001, true, state=1 retransmits=0 probes=0"})
    void theFirstBytesOfTcpInfo(String head, boolean littleEndian, String expected) {
        assertEquals(expected, TcpState.fromTcpInfoHead(Integer.decode(head), littleEndian).toString());
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
