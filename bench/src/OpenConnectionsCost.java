import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * The cost of the calls an app makes all day (connect + accept + close; a new socket's
 * setKeepAlive(false) and close, as Apache HttpClient's default does) while OPEN other connections
 * stay open to a peer in another process (bench/src/HoldingPeer.java, at PEER_PORT). They are opened
 * from the first statement of main, on two threads, while the agent starts beside it, so that the agent
 * meets most of them in its start-up window (found by its looks, then watched): the case where its work
 * could grow with the process. Then it waits for the window to close, warms up, and measures, in steady
 * state. Every connection ends with a reset, so that no run leaves thousands of TIME_WAIT sockets to the next.
 * Prints: COST open=N opened_ms=T connect_close_ns=C option_ns=O
 */
public class OpenConnectionsCost {
    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        int count = Integer.parseInt(args[0]);
        int ops = Integer.parseInt(args[1]);
        int peerPort = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        List<Socket> open = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread[] openers = new Thread[2];
        for (int t = 0; t < openers.length; t++) {
            int share = count / openers.length + (t < count % openers.length ? 1 : 0);
            openers[t] = new Thread(() -> {
                try {
                    for (int i = 0; i < share; i++) {
                        open.add(new Socket(loopback, peerPort));
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            openers[t].start();
        }
        for (Thread opener : openers) {
            opener.join();
        }
        long openedMillis = (System.nanoTime() - start) / 1_000_000;
        if (open.size() != count) {
            throw new IllegalStateException("opened " + open.size() + " of " + count);
        }
        ServerSocket loop = new ServerSocket(0, 64, loopback);
        Thread.sleep(Math.max(0, 3000 - openedMillis)); // the agent's start-up window (looks at 0.1, 1 and 2 s) is over
        connectAndClose(loop, ops); // the JIT's warm-up: the agent's code compiled, whatever the start-up ran
        optionCalls(ops);
        // In alternating batches, each kind's median batch: a collection or a compilation hits one batch
        int batches = 15;
        long[] connects = new long[batches];
        long[] options = new long[batches];
        for (int b = 0; b < batches; b++) {
            connects[b] = connectAndClose(loop, ops / batches);
            options[b] = optionCalls(ops / batches);
        }
        System.out.println("COST open=" + open.size() + " opened_ms=" + openedMillis + " connect_close_ns=" + median(connects)
                + " option_ns=" + median(options));
        for (Socket socket : open) {
            socket.setSoLinger(true, 0);
            socket.close();
        }
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static long connectAndClose(ServerSocket server, int ops) throws Exception {
        long t0 = System.nanoTime();
        for (int i = 0; i < ops; i++) {
            Socket client = new Socket(server.getInetAddress(), server.getLocalPort());
            Socket accepted = server.accept();
            client.setSoLinger(true, 0); // a reset, no TIME_WAIT: the runs after this one meet a clean table
            client.close();
            accepted.close();
        }
        return (System.nanoTime() - t0) / ops;
    }

    private static long optionCalls(int ops) throws Exception {
        long t0 = System.nanoTime();
        for (int i = 0; i < ops; i++) {
            Socket socket = new Socket();
            socket.setKeepAlive(false);
            socket.close();
        }
        return (System.nanoTime() - t0) / ops;
    }
}
