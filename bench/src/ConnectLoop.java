import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import jdk.net.ExtendedSocketOptions;

/**
 * connect + accept + close on loopback, N times after a warm-up, in one thread.
 * Modes: "none" (no keepalive code), "hand" (the four options set by hand on both ends).
 * Prints: NS_PER_CONNECTION wall cpu
 */
public class ConnectLoop {
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int count = Integer.parseInt(args[1]);
        int warmup = Integer.parseInt(args[2]);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 100, loopback)) {
            InetSocketAddress address = new InetSocketAddress(loopback, server.getLocalPort());
            for (int i = 0; i < warmup; i++) {
                once(server, address, mode);
            }
            long cpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                once(server, address, mode);
            }
            long wall = System.nanoTime() - t0;
            long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0;
            System.out.println("NS_PER_CONNECTION " + (count == 0 ? 0 : wall / count) + " " + (count == 0 ? 0 : cpu / count));
        }
    }

    static void once(ServerSocket server, InetSocketAddress address, String mode) throws Exception {
        Socket client = new Socket();
        client.connect(address);
        Socket accepted = server.accept();
        if (mode.equals("hand")) {
            configure(client);
            configure(accepted);
        }
        client.close();
        accepted.close();
    }

    static void configure(Socket socket) throws Exception {
        socket.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, 120);
        socket.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, 30);
        socket.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, 4);
        socket.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
    }
}
