import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * The cost of the calls an app makes all day (connect + accept + close; a new socket's
 * setKeepAlive(false) and close, as Apache HttpClient's default does) while PAIRS other connections
 * stay open, both ends in this JVM. Everything is opened from the first statement of main, while the
 * agent starts beside it, so the agent meets those connections in its start-up window (watched, their
 * listening socket known): the case where its work could grow with the process. Then it waits for the
 * agent's later looks, warms up, and measures. The loop's connections end with a reset, so that no
 * run leaves thousands of TIME_WAIT sockets to the next.
 * Prints: COST pairs=P connect_close_ns=C option_ns=O
 */
public class OpenConnectionsCost {
    public static void main(String[] args) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        ServerSocket loop = new ServerSocket(0, 64, loopback);
        int pairs = Integer.parseInt(args[0]);
        int ops = Integer.parseInt(args[1]);
        List<Socket> open = new ArrayList<>();
        if (pairs > 0) {
            ServerSocket background = new ServerSocket(0, pairs, loopback);
            for (int i = 0; i < pairs; i++) {
                open.add(new Socket(loopback, background.getLocalPort()));
                open.add(background.accept());
            }
        }
        Thread.sleep(3000); // the agent's start-up and its looks again (at 0.1 s and 1 s) are over
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
        long connect = median(connects);
        long option = median(options);
        System.out.println("COST pairs=" + pairs + " connect_close_ns=" + connect + " option_ns=" + option
                + " open=" + open.size());
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
