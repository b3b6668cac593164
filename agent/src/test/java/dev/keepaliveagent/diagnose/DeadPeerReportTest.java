package dev.keepaliveagent.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keepaliveagent.config.TestSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeadPeerReportTest {

    @Test
    void oneLineWithEverythingAnOperatorActsOn() throws Exception {
        String line = new DeadPeerReport(
                new InetSocketAddress(InetAddress.getByName("::ffff:10.0.4.12"), 5432),
                new InetSocketAddress(InetAddress.getByName("10.0.4.7"), 40312),
                "connect", DeadPeerCause.TIMED_OUT, 7_985_000_000_000L, TestSettings.of(120, 30, 4),
                new IOException("Connection timed out")).line();
        assertEquals("dead peer 10.0.4.12:5432 (local 10.0.4.7:40312, connect): no answer from the peer (keepalive"
                + " probes or retransmissions unanswered): it is down, or unreachable; the connection had lived 2h13m05s;"
                + " keepalive idle=120s intvl=30s cnt=4; the kernel said: Connection timed out", line);
    }

    /** The name the app connected to, as the JDK kept it with the address: never looked up by the agent. */
    @Test
    void aPeerTheAppConnectedToByNameIsNamedBesideItsAddress() throws Exception {
        InetSocketAddress byName = new InetSocketAddress(InetAddress.getByAddress("orders-db.internal", new byte[] {10, (byte) 250, 7, 1}), 7000);
        DeadPeerReport report = new DeadPeerReport(byName, new InetSocketAddress(InetAddress.getByName("10.0.4.7"), 40312),
                "connect", DeadPeerCause.TIMED_OUT, 1_000_000_000L, TestSettings.of(120, 30, 4), null);
        assertTrue(report.line().startsWith("dead peer orders-db.internal/10.250.7.1:7000 (local 10.0.4.7:40312, connect): "),
                report.line());
        assertEquals("orders-db.internal", report.fields().get("host"));
        assertEquals("10.250.7.1:7000", report.fields().get("remote"));

        assertEquals(null, DeadPeerReport.hostName(new InetSocketAddress(InetAddress.getByName("10.250.7.1"), 7000)), "an address");
        assertEquals(null, DeadPeerReport.hostName(new InetSocketAddress(
                InetAddress.getByAddress("10.250.7.1", new byte[] {10, (byte) 250, 7, 1}), 7000)), "an address given as a name");
        assertEquals(null, DeadPeerReport.hostName(InetSocketAddress.createUnresolved("orders-db.internal", 7000)),
                "unresolved: the address is the name");
        assertEquals("localhost", DeadPeerReport.hostName(new InetSocketAddress(InetAddress.getLoopbackAddress(), 80)));
    }

    /** IPv6 in RFC 5952's form, as `ip addr` and `ss` print it, not the JDK's fd77:77:0:0:0:0:0:1. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "fe80::1                   | 443  | [fe80::1]:443",
        "fd77:77:0:0:0:0:0:1       | 5432 | [fd77:77::1]:5432",
        "::1                       | 80   | [::1]:80",
        "::                        | 80   | [::]:80",
        "2001:db8::                | 80   | [2001:db8::]:80",
        "2001:DB8:0:0:1:0:0:1      | 80   | [2001:db8::1:0:0:1]:80",
        "2001:db8:0:1:1:1:1:1      | 80   | [2001:db8:0:1:1:1:1:1]:80",
        "2001:0db8:0000:0000:0000:ff00:0042:8329 | 80 | [2001:db8::ff00:42:8329]:80",
        "192.168.1.10              | 80   | 192.168.1.10:80",
        "::ffff:10.0.0.1           | 80   | 10.0.0.1:80",
    })
    void addressesAsOperatorsWriteThem(String host, int port, String shown) throws Exception {
        assertEquals(shown, DeadPeerReport.address(new InetSocketAddress(InetAddress.getByName(host), port)));
    }

    @Test
    void anUnknownOrUnresolvedAddressStillMakesALine() {
        assertEquals("?", DeadPeerReport.address(null));
        assertEquals("10.0.4.12:5432", DeadPeerReport.address(InetSocketAddress.createUnresolved("::ffff:10.0.4.12", 5432)));
        assertEquals("db.internal:5432", DeadPeerReport.address(InetSocketAddress.createUnresolved("db.internal", 5432)));
        assertEquals("[::1]:5432", DeadPeerReport.address(InetSocketAddress.createUnresolved("::1", 5432)));
    }

    @Test
    void aPeerInALogLineIsItsAddressOrSaidToBeUnknown() throws Exception {
        assertEquals("an unknown peer", DeadPeerReport.peer(null));
        assertEquals("10.0.4.12:5432", DeadPeerReport.peer(new InetSocketAddress(InetAddress.getByName("10.0.4.12"), 5432)));
    }

    @Test
    void anIpv6ScopeIsKept() throws Exception {
        java.net.Inet6Address linkLocal = java.net.Inet6Address.getByAddress(null,
                InetAddress.getByName("fe80::1").getAddress(), 3);
        assertEquals("[fe80::1%3]:443", DeadPeerReport.address(new InetSocketAddress(linkLocal, 443)));
    }

    /** Only a peer that stopped answering can have run into the user timeout instead. */
    @ParameterizedTest
    @CsvSource({"TIMED_OUT, true", "HOST_UNREACHABLE, true", "NETWORK_UNREACHABLE, true", "RESET, false",
        "USER_TIMEOUT, false", "DROPPED, false", "ALREADY_CLOSED, false"})
    void whichCausesMeanThePeerStoppedAnswering(DeadPeerCause cause, boolean unanswered) {
        assertEquals(unanswered, cause.isUnanswered());
    }

    @ParameterizedTest
    @CsvSource({"0, 0s", "59, 59s", "61, 1m01s", "3600, 1h00m00s", "90061, 25h01m01s"})
    void durations(long seconds, String shown) {
        assertEquals(shown, DeadPeerReport.duration(seconds * 1_000_000_000L));
    }

    @Test
    void theSameFactsAsFieldsForAJsonLine() throws Exception {
        DeadPeerReport report = new DeadPeerReport(
                new InetSocketAddress(InetAddress.getByName("10.0.4.12"), 5432),
                new InetSocketAddress(InetAddress.getByName("10.0.4.7"), 40312),
                "accept", DeadPeerCause.RESET, 2_500_000_000L, TestSettings.of(120, 30, 4), null);
        assertEquals(DeadPeerCause.RESET, report.cause());
        assertEquals("{event=keepalive.DeadPeer, remote=10.0.4.12:5432, host=null, local=10.0.4.7:40312, kind=accept, cause=RESET,"
                + " causeInWords=" + DeadPeerCause.RESET.plainWords() + ", connectionAge=2500,"
                + " settings=idle=120s intvl=30s cnt=4, kernelMessage=null}", report.fields().toString());
    }
}
