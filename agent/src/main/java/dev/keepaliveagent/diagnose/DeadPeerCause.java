package dev.keepaliveagent.diagnose;

/** Why the kernel gave up on a connection, in the words an operator uses. */
public enum DeadPeerCause {
    /** ETIMEDOUT: keepalive probes (or retransmissions) went unanswered. */
    TIMED_OUT("no answer from the peer (keepalive probes or retransmissions unanswered): it is down, or unreachable"),
    /** ETIMEDOUT with data in flight, under TCP_USER_TIMEOUT: sent data went unacknowledged too long. */
    USER_TIMEOUT("sent data went unacknowledged for the user timeout: the peer is down, or unreachable"),
    /** ECONNRESET: the peer answered with a reset. */
    RESET("the peer reset the connection: it restarted, or dropped the connection abruptly"),
    /** EHOSTUNREACH, EHOSTDOWN: a router or the local stack reported the host unreachable. */
    HOST_UNREACHABLE("no route to the peer's host: the path to it is gone"),
    /** ENETUNREACH: the network the peer is in cannot be reached. */
    NETWORK_UNREACHABLE("the peer's network is unreachable: the path to it is gone"),
    /** Seen from outside the failing call (a connection rescued at attach): the kernel closed it. */
    DROPPED("the kernel dropped the connection: the peer did not answer keepalive probes, or reset it"),
    /** EPIPE, ECONNABORTED: the connection had already been torn down when the app used it. */
    ALREADY_CLOSED("the connection had already been torn down (broken pipe): the peer reset or vanished earlier");

    private final String plainWords;

    DeadPeerCause(String plainWords) {
        this.plainWords = plainWords;
    }

    /** The peer stopped answering (rather than answering with a reset, or the connection being gone already). */
    public boolean isUnanswered() {
        return this == TIMED_OUT || this == HOST_UNREACHABLE || this == NETWORK_UNREACHABLE;
    }

    public String plainWords() {
        return plainWords;
    }
}
