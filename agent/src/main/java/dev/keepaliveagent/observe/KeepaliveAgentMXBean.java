package dev.keepaliveagent.observe;

import java.util.Map;

/**
 * The agent as JMX shows it, under {@code dev.keepaliveagent:type=KeepaliveAgent}. Every attribute
 * is a copy of counters or of immutable settings: reading one never waits on the app.
 */
public interface KeepaliveAgentMXBean {

    String getVersion();

    /**
     * The version and the settings in force as {@code key=value} words, for an info metric:
     * {@code version=0.1.0 idle=600s intvl=60s cnt=20 utimeout=off rules=0 mesh=none} ({@code mesh=istio} or
     * {@code linkerd} where a mesh's proxy listens in the JVM's network namespace). One word per socket option
     * ({@code KeepaliveOption}) that is set, given, or has a value by default, in their order: an option added
     * later adds a word before {@code rules=}, so read the words by key, not by position.
     */
    String getInfo();

    /** The settings in force and where each came from, as in the start-up line. */
    String getSettings();

    /** The JDK methods the agent hooks, {@code Net.connect} and the like: which depend on the JDK. */
    java.util.List<String> getHookedMethods();

    /** The destination rules, first match wins; empty when every connection gets the settings. */
    String getRules();

    /** Connections that got every option, by kind: connect, accept, netty epoll connect... */
    Map<String, Long> getConfiguredConnections();

    long getConfiguredConnectionsTotal();

    /** Options the platform refused, by option. */
    Map<String, Long> getRefusedOptions();

    /** Dead peers found, by cause (TIMED_OUT, USER_TIMEOUT, RESET...). */
    Map<String, Long> getDeadPeers();

    long getDeadPeersTotal();

    /** Connections that were open before the agent was attached and got configured then. */
    long getRescuedConnections();

    /** Errors inside the agent, wherever caught, swallowed so the app would not see them; zero in a healthy agent. */
    long getSuppressedErrors();

    /**
     * The last of those: what the agent was doing, the error and where it was thrown; empty in a healthy
     * agent. For an error whose log line never came out (log=off, or a JVM that halted first).
     */
    String getLastSuppressedError();

    /**
     * Installs on the agent's switchboard it refused: each listener is installed once, by the agent; zero
     * unless code in the JVM tried to take the agent's place. Each is also a WARN line.
     */
    long getRefusedInstalls();

    /**
     * Kinds of connection whose first one, read back from the kernel, did not have what the agent set
     * (a count of 1 per kind): empty in a healthy agent. Each is also a WARN line.
     */
    Map<String, Long> getReadBackMismatches();

    /** Whether Netty's native transports are covered, and which have been seen. */
    String getNettyNativeTransports();

    /** Whether the agent's JFR events are registered (a recorder runs in this JVM). */
    boolean isJfrEventsRegistered();
}
