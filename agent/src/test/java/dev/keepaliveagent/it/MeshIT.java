package dev.keepaliveagent.it;

import static dev.keepaliveagent.it.DeadPeerChecks.APP_REACTS;
import static dev.keepaliveagent.it.DeadPeerChecks.BOUND;
import static dev.keepaliveagent.it.DeadPeerChecks.FAST;
import static dev.keepaliveagent.it.DeadPeerChecks.PORT;
import static dev.keepaliveagent.it.DeadPeerChecks.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An app behind a service mesh's sidecar: its connection to the server is redirected (nft REDIRECT, as
 * Istio's iptables rules do) to a local proxy listening on Istio's capture ports. The probes are answered by
 * the proxy, so a dead server goes unseen: the agent says so at start-up, doctor says so, and the test shows
 * why it must.
 */
class MeshIT {

    private static final String ADVICE = "Istio's proxy (an Envoy sidecar, or ambient mode's ztunnel) listens in this"
            + " network namespace (ports 15001 and 15006): the connections it redirects end at it, and it answers their"
            + " keepalive probes while the peer behind it may be gone; to find a dead peer behind the mesh, set TCP"
            + " keepalive in the mesh, for the proxy's own connections to the peer: a DestinationRule's"
            + " trafficPolicy.connectionPool.tcp.tcpKeepalive (time, interval, probes)";

    @Test
    void behindASidecarTheAgentSaysItsBoundsAreTheProxysAndWhatToSetInstead() throws Exception {
        try (NetworkLab lab = NetworkLab.create();
             ForkedJvm server = ForkedJvm.startIn(lab.onServer(), null, List.of(), List.of(),
                     DeadPeerScenario.class.getName(), "hold-server", String.valueOf(PORT));
             ForkedJvm proxy = ForkedJvm.startIn(lab.onClient(), null, List.of(), List.of(), ProxyScenario.class.getName(),
                     "15001", "15006")) {
            server.awaitLine("LISTENING", START);
            proxy.awaitLine("LISTENING", START);
            lab.redirectClientTcp(PORT, 15001);
            try (ForkedJvm client = ForkedJvm.startIn(lab.onClient(), FAST, List.of(), List.of(),
                    DeadPeerScenario.class.getName(), "client", "socket", NetworkLab.SERVER_IP, String.valueOf(PORT))) {
                String connected = client.awaitLine("CONNECTED", START);
                String startUp = client.awaitStderr("keepalive-agent " + TestJvm.VERSION + " on JDK", START);
                assertTrue(startUp.contains("; but Istio's proxy (an Envoy sidecar, or ambient mode's ztunnel) listens in"
                        + " this network namespace (ports 15001 and 15006): a connection it redirects ends at it, so these"
                        + " bounds are the proxy's, not the peer's behind it; "), startUp);
                assertTrue(client.stderr().contains("[keepalive-agent] WARN: " + ADVICE), client.stderr()::toString);

                List<String> doctor = new ArrayList<>(List.of(TestJvm.java().toString(), "-jar", TestJvm.agentJar().toString(),
                        "doctor", String.valueOf(client.pid())));
                Command run = Command.run(doctor);
                assertEquals(0, run.exit, run::toString);
                assertTrue(run.out().contains("process " + client.pid() + ": " + ADVICE + "\n"), run.out());

                // The blind spot itself: the server is cut off, but the proxy on loopback answers every probe.
                lab.cutServerSide();
                // Only the absence of an event is waited for here: twice the bound, and the app's time to react.
                Thread.sleep(BOUND.multipliedBy(2).plus(APP_REACTS).toMillis());
                assertFalse(client.printed("FAILED"), () -> "the proxy answered for the dead server: " + client.stdout());
                int local = Integer.parseInt(DeadPeerChecks.address(connected, "local").replaceAll(".*:", ""));
                assertTrue(KernelView.ofProcess(client.pid(), local, PORT).isPresent(), "still established, as the kernel sees it");
                client.release();
            }
        }
    }
}
