package dev.keepaliveagent.diagnose;

/**
 * The kernel's view of a TCP connection when a read or write on it failed: the first fields of
 * {@code struct tcp_info} ({@code tcpi_state}, {@code tcpi_retransmits}, {@code tcpi_probes}). Unlike
 * the exception's message, which the C library translates into the server's language, these are
 * numbers: they tell the cause the same way in every locale.
 */
public final class TcpState {

    /** {@code TCP_CLOSE}: the kernel has given up on the connection (or the peer reset it). */
    private static final int TCP_CLOSE = 7;
    private static final int TCP_ESTABLISHED = 1;
    private static final int TCP_SYN_SENT = 2;
    private static final int TCP_LISTEN = 10;
    /** FIN_WAIT1, FIN_WAIT2, TIME_WAIT, CLOSE_WAIT, LAST_ACK, CLOSING: a FIN was sent or received. */
    private static final int FIN_STATES = 1 << 4 | 1 << 5 | 1 << 6 | 1 << 8 | 1 << 9 | 1 << 11;

    private final int state;
    private final int retransmits;
    private final int probes;

    private TcpState(int state, int retransmits, int probes) {
        this.state = state;
        this.retransmits = retransmits;
        this.probes = probes;
    }

    public static TcpState of(int state, int retransmits, int probes) {
        return new TcpState(state, retransmits, probes);
    }

    /**
     * From the first four bytes of {@code struct tcp_info} (state, ca_state, retransmits, probes), read
     * as one int in the machine's byte order, as {@code getsockopt(TCP_INFO)} into an int gives them.
     */
    public static TcpState fromTcpInfoHead(int head, boolean littleEndian) {
        return new TcpState(tcpInfoByte(head, 0, littleEndian), tcpInfoByte(head, 2, littleEndian),
                tcpInfoByte(head, 3, littleEndian));
    }

    private static int tcpInfoByte(int head, int index, boolean littleEndian) {
        return (head >>> (littleEndian ? 8 * index : 8 * (3 - index))) & 0xff;
    }

    /** Whether the kernel has closed the connection: it gave up on the peer, or the peer reset it. */
    public boolean closed() {
        return state == TCP_CLOSE;
    }

    public boolean established() {
        return state == TCP_ESTABLISHED;
    }

    /** A connect under way: its SYN sent, no answer yet. */
    public boolean connecting() {
        return state == TCP_SYN_SENT;
    }

    public boolean listening() {
        return state == TCP_LISTEN;
    }

    /** Whether one side has closed in order (a FIN sent or received): an end, not a death. */
    public boolean endingInOrder() {
        return state < 32 && (FIN_STATES & 1 << state) != 0;
    }

    /** Whether keepalive probes or retransmissions were still unanswered: the peer stopped answering. */
    public boolean unanswered() {
        return retransmits > 0 || probes > 0;
    }

    /** Whether unacknowledged data was being retransmitted (not keepalive probes sent). */
    public boolean dataInFlight() {
        return retransmits > 0;
    }

    @Override
    public String toString() {
        return "state=" + state + " retransmits=" + retransmits + " probes=" + probes;
    }
}
