import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * connect + accept + close on loopback from the first statement of {@code main}, for {@code seconds},
 * in one thread, timed in slices: what an app that fills a pool or takes a burst of connections as it
 * starts pays, slice by slice, while the agent starts beside it and its start-up window runs.
 * Modes as {@link ConnectLoop}. Prints, per slice: SLICE from_s to_s connections wall_ns cpu_ns (per connection).
 */
public class ConnectSlices {

    public static void main(String[] args) throws Throwable {
        String mode = args[0];
        long seconds = Long.parseLong(args[1]);
        long slice = Long.parseLong(args[2]) * 1_000_000_000L;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 100, loopback)) {
            InetSocketAddress address = new InetSocketAddress(loopback, server.getLocalPort());
            long start = System.nanoTime();
            long sliceStart = start;
            long cpuAtSliceStart = threads.getCurrentThreadCpuTime();
            long connections = 0;
            while (true) {
                ConnectLoop.once(server, address, mode);
                connections++;
                long now = System.nanoTime();
                if (now - sliceStart >= slice) {
                    long cpu = threads.getCurrentThreadCpuTime();
                    System.out.printf("SLICE %d %d %d %d %d%n", (sliceStart - start) / 1_000_000_000L, (now - start) / 1_000_000_000L,
                            connections, (now - sliceStart) / connections, (cpu - cpuAtSliceStart) / connections);
                    if (now - start >= seconds * 1_000_000_000L) {
                        return;
                    }
                    sliceStart = now;
                    cpuAtSliceStart = cpu;
                    connections = 0;
                }
            }
        }
    }
}
