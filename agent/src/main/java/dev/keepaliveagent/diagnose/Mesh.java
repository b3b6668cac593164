package dev.keepaliveagent.diagnose;

import dev.keepaliveagent.proc.ProcessSockets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A service mesh's proxy in the JVM's own network namespace (a pod's sidecar, or Istio's ambient ztunnel
 * redirecting inside the pod), told by the ports it listens on: there, the app's connections end at the
 * local proxy, which answers the keepalive probes itself, so the agent's bounds are the proxy's and not the
 * peer's behind it. Both of a mesh's capture ports must listen: one port alone is too common to tell.
 */
public enum Mesh {
    NONE("none", "", Arrays.<Integer>asList(), ""),
    ISTIO("istio", "Istio's proxy (an Envoy sidecar, or ambient mode's ztunnel)", Arrays.asList(15001, 15006),
            "set TCP keepalive in the mesh, for the proxy's own connections to the peer: a DestinationRule's"
                    + " trafficPolicy.connectionPool.tcp.tcpKeepalive (time, interval, probes)"),
    LINKERD("linkerd", "Linkerd's proxy", Arrays.asList(4140, 4143),
            "set TCP keepalive for the proxy's own connections to the peer in Linkerd's proxy configuration");

    private final String label;
    private final String proxy;
    private final List<Integer> capturePorts;
    private final String remedy;

    Mesh(String label, String proxy, List<Integer> capturePorts, String remedy) {
        this.label = label;
        this.proxy = proxy;
        this.capturePorts = capturePorts;
        this.remedy = remedy;
    }

    /** The mesh whose capture ports all listen among {@code listening}; NONE if none does. */
    public static Mesh listeningOn(Set<Integer> listening) {
        for (Mesh mesh : values()) {
            if (mesh != NONE && listening.containsAll(mesh.capturePorts)) {
                return mesh;
            }
        }
        return NONE;
    }

    /** The mesh in the network namespace of {@code process} (/proc/self, /proc/PID); NONE where it cannot be read. */
    public static Mesh of(Path process) {
        try {
            return listeningOn(ProcessSockets.listeningPorts(process));
        } catch (Exception e) {
            return NONE; // no /proc (not Linux): nothing to say, and nothing said
        }
    }

    /** As the MBean's Info and the metrics' label say it: none, istio, linkerd. */
    public String label() {
        return label;
    }

    /** The clause of the start-up line: why its bounds are the proxy's. */
    public String startUpClause() {
        return proxy + " listens in this network namespace (" + ports() + "): a connection it redirects ends at it,"
                + " so these bounds are the proxy's, not the peer's behind it";
    }

    /** The WARN line: what holds, and what to set instead. */
    public String advice() {
        return proxy + " listens in this network namespace (" + ports() + "): the connections it redirects end at"
                + " it, and it answers their keepalive probes while the peer behind it may be gone; to find a dead"
                + " peer behind the mesh, " + remedy;
    }

    private String ports() {
        StringBuilder text = new StringBuilder("ports ");
        for (int i = 0; i < capturePorts.size(); i++) {
            text.append(i == 0 ? "" : " and ").append(capturePorts.get(i));
        }
        return text.toString();
    }
}
