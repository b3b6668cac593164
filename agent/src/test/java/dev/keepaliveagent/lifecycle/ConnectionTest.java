package dev.keepaliveagent.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keepaliveagent.config.KeepaliveOption;
import dev.keepaliveagent.config.Settings;
import dev.keepaliveagent.config.TestSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rule for an app's own keepalive calls: stricter stands, laxer or off does not. */
class ConnectionTest {

    private static final Settings LIMIT = TestSettings.of(600, 60, 20);

    @ParameterizedTest(name = "{0}={1} -> {2}")
    @CsvSource({
        "SO_KEEPALIVE, false, true",
        "SO_KEEPALIVE, true, true",
        "TCP_KEEPIDLE, 7200, 600",
        "TCP_KEEPIDLE, 600, 600",
        "TCP_KEEPIDLE, 30, 30",
        "TCP_KEEPINTERVAL, 75, 60",
        "TCP_KEEPINTERVAL, 5, 5",
        "TCP_KEEPCOUNT, 127, 20",
        "TCP_KEEPCOUNT, 3, 3",
        "TCP_KEEPCOUNT, 0, 0",
    })
    void enforcesTheLimitOnAConnectedSocket(String option, String value, String expected) {
        Connection socket = new Connection();
        socket.configured(LIMIT, LIMIT, null, "connect", 0);
        Object given = parse(option, value);
        Object result = socket.enforce(option(option), given);
        assertEquals(parse(option, expected), result);
        if (value.equals(expected)) {
            assertSame(given, result, "a value that stands is passed through as is");
        }
    }

    @org.junit.jupiter.api.Test
    void aConnectionDiesOnce() {
        Connection socket = new Connection();
        socket.configured(LIMIT, LIMIT, null, "connect", 0);
        org.junit.jupiter.api.Assertions.assertTrue(socket.markDead());
        org.junit.jupiter.api.Assertions.assertFalse(socket.markDead(), "a retry or the other stream failing is not a second death");
    }

    @ParameterizedTest(name = "app chose idle={0} intvl={1} cnt={2} -> {3}")
    @CsvSource({
        "0, 0, 0, idle=600s intvl=60s cnt=20",
        "30, 5, 2, idle=30s intvl=5s cnt=2",
        "7200, 75, 9, idle=600s intvl=60s cnt=9",
        "7200, 5, 100, idle=600s intvl=5s cnt=20",
        "30, 0, 0, idle=30s intvl=60s cnt=20",
    })
    void choicesMadeBeforeConnectingStandWhereStricter(int idle, int intvl, int cnt, String applied) {
        AppChoices choices = new AppChoices();
        choices.record(KeepaliveOption.IDLE, idle);
        choices.record(KeepaliveOption.INTVL, intvl);
        choices.record(KeepaliveOption.CNT, cnt);
        assertEquals(applied, choices.within(LIMIT).toString());
    }

    /** The option an app's call names (null: SO_KEEPALIVE), by the JDK's name for it. */
    private static KeepaliveOption option(String name) {
        switch (name) {
            case "SO_KEEPALIVE": return null;
            case "TCP_KEEPIDLE": return KeepaliveOption.IDLE;
            case "TCP_KEEPINTERVAL": return KeepaliveOption.INTVL;
            default: return KeepaliveOption.CNT;
        }
    }

    private static Object parse(String option, String value) {
        return option.equals("SO_KEEPALIVE") ? (Object) Boolean.valueOf(value) : (Object) Integer.valueOf(value);
    }

    @ParameterizedTest(name = "utimeout={0} -> {1}")
    @CsvSource({"0, 6000", "9000, 6000", "6000, 6000", "3000, 3000"})
    void theUserTimeoutMayNotBeSwitchedOffNorMadeLaxer(int value, int expected) {
        Connection socket = new Connection();
        socket.configured(TestSettings.of(600, 60, 20, 6000), TestSettings.of(600, 60, 20, 6000), null, "netty epoll connect", 0);
        assertEquals(expected, socket.enforce(KeepaliveOption.UTIMEOUT, value));
    }

    @Test
    void remembersWhatItWasConfiguredWithForTheDeadPeerLine() {
        Connection socket = new Connection();
        assertFalse(socket.isConfigured(), "not before it connected");
        Settings applied = TestSettings.of(30, 60, 20);
        InetSocketAddress remote = new InetSocketAddress(InetAddress.getLoopbackAddress(), 5432);
        socket.configured(LIMIT, applied, remote, "accept", 1234L);
        assertTrue(socket.isConfigured());
        assertSame(LIMIT, socket.limit());
        assertSame(applied, socket.applied());
        assertSame(remote, socket.remote());
        assertEquals("accept", socket.how());
        assertEquals(1234L, socket.configuredAtNanos());
    }

    @Test
    void aValueThatIsNotANumberPassesThroughUntouched() {
        Connection socket = new Connection();
        socket.configured(LIMIT, LIMIT, null, "connect", 0);
        Object odd = "7200";
        assertSame(odd, socket.enforce(KeepaliveOption.IDLE, odd));
    }
}
