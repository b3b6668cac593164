package dev.keepaliveagent.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A mesh is told by both of its capture ports listening: one alone is too common a port to tell. */
class MeshTest {

    @ParameterizedTest(name = "listening on {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "15001 15006 15000 15090 8080 | ISTIO",
        "15001 15006 15008            | ISTIO",
        "15001                        | NONE",
        "15006 8080                   | NONE",
        "4140 4143 4191               | LINKERD",
        "4143                         | NONE",
        "8080 5432                    | NONE",
        "''                           | NONE",
    })
    void theMeshWhoseCapturePortsAllListen(String ports, Mesh mesh) {
        Set<Integer> listening = Stream.of(ports.trim().split(" +")).filter(p -> !p.isEmpty()).map(Integer::valueOf)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(mesh, Mesh.listeningOn(listening));
    }

    @org.junit.jupiter.api.Test
    void theAdviceSaysWhatHoldsAndWhatToSetInTheMesh() {
        assertEquals("istio", Mesh.ISTIO.label());
        assertEquals("Istio's proxy (an Envoy sidecar, or ambient mode's ztunnel) listens in this network namespace (ports"
                + " 15001 and 15006): the connections it redirects end at it, and it answers their keepalive probes while the"
                + " peer behind it may be gone; to find a dead peer behind the mesh, set TCP keepalive in the mesh, for the"
                + " proxy's own connections to the peer: a DestinationRule's trafficPolicy.connectionPool.tcp.tcpKeepalive"
                + " (time, interval, probes)", Mesh.ISTIO.advice());
    }
}
