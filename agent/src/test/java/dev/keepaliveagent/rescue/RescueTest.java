package dev.keepaliveagent.rescue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keepaliveagent.config.KeepaliveOption;
import dev.keepaliveagent.config.Rules;
import dev.keepaliveagent.config.Settings;
import dev.keepaliveagent.jdk.OptionSetter;
import dev.keepaliveagent.jdk.SocketOptionWriter;
import dev.keepaliveagent.observe.Telemetry;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A connection the hooks did not see (opened while the agent started, or before an attach) is
 * configured as a hooked one would be: values the app chose with keepalive on stand where stricter.
 */
class RescueTest {

    private static final Rules SETTINGS = dev.keepaliveagent.config.AgentArgumentsAccess.rules("idle=600,intvl=60,cnt=20,utimeout=off");
    private static final InetSocketAddress PEER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 5432);

    @Test
    void valuesTheAppChoseWithKeepaliveOnStandWhereStricter() throws Exception {
        try (FileInputStream stream = new FileInputStream("/dev/null")) {
            Settings applied = rescue(stream.getFD(), true);
            assertEquals(30, applied.get(KeepaliveOption.IDLE), "the app's 30 s idle is stricter than 600");
            assertEquals(60, applied.get(KeepaliveOption.INTVL), "its 75 s interval is laxer than 60");
            assertEquals(9, applied.get(KeepaliveOption.CNT), "its 9 probes are fewer than 20");
        }
    }

    @Test
    void valuesLeftWithKeepaliveOffAreNotAChoice() throws Exception {
        try (FileInputStream stream = new FileInputStream("/dev/null")) {
            Settings applied = rescue(stream.getFD(), false);
            assertEquals(600, applied.get(KeepaliveOption.IDLE));
            assertEquals(60, applied.get(KeepaliveOption.INTVL));
            assertEquals(20, applied.get(KeepaliveOption.CNT));
        }
    }

    private static Settings rescue(FileDescriptor fd, boolean appKeepalive) throws IOException {
        OptionSetter kernel = dev.keepaliveagent.tune.SocketTunerFaultTest.setter((descriptor, option, value) -> { }, true);
        kernel.set(fd, KeepaliveOption.IDLE, 30);
        kernel.set(fd, KeepaliveOption.INTVL, 75);
        kernel.set(fd, KeepaliveOption.CNT, 9);
        if (appKeepalive) {
            kernel.switchKeepaliveOn(fd);
        }
        TunedSockets tuner = new TunedSockets(SETTINGS, new Telemetry(), kernel);
        tuner.rescue(fd, PEER, "connect", tuner.settingsFor(PEER, -1), true);
        assertEquals(1, kernel.get(fd, SocketOptionWriter.SOL_SOCKET, SocketOptionWriter.SO_KEEPALIVE), "keepalive on");
        Settings applied = tuner.registered(fd).applied();
        assertEquals(applied.get(KeepaliveOption.IDLE), kernel.get(fd, KeepaliveOption.IPPROTO_TCP, KeepaliveOption.IDLE.linuxNumber()));
        return applied;
    }

    @Test
    void theWatcherLooksOnceASecondAndAtMostAThousandConnectionsASecond() {
        assertEquals(1000, RescueWatcher.pauseFor(1));
        assertEquals(1000, RescueWatcher.pauseFor(1000));
        assertEquals(8000, RescueWatcher.pauseFor(8000));
        assertEquals(10_000, RescueWatcher.pauseFor(50_000));
    }

    @ParameterizedTest(name = "last look {0}, then {1}: died {2}")
    @CsvSource({
        "1/0/0, 7/0/0, false",  // the peer's FIN, the app's close at once: the last look was too early to see the FIN
        "8/0/0, 7/0/0, false",  // CLOSE_WAIT: the peer's FIN, then the app's close
        "9/0/0, 7/0/0, false",  // LAST_ACK
        "8/0/2, 7/0/3, false",  // the peer had sent its FIN: whatever came after, an end in order
        "1/0/2, 7/0/0, true",   // probes unanswered at the last look
        "1/0/0, 7/0/3, true",   // the kernel gave up after probes since the last look
        "1/3/0, 7/5/0, true",   // retransmissions unanswered
        "-, 7/0/3, true",       // never seen alive: the end alone tells
        "-, 7/0/0, false"})
    void onlyAConnectionClosedWithProbesOrDataUnansweredDied(String lastAlive, String closed, boolean died) {
        assertEquals(died, RescueWatcher.died(state(lastAlive), state(closed)));
    }

    private static dev.keepaliveagent.diagnose.TcpState state(String stateRetransmitsProbes) {
        if (stateRetransmitsProbes.equals("-")) {
            return null;
        }
        String[] n = stateRetransmitsProbes.split("/");
        return dev.keepaliveagent.diagnose.TcpState.of(Integer.parseInt(n[0]), Integer.parseInt(n[1]), Integer.parseInt(n[2]));
    }
}
