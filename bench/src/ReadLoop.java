import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Reads of SIZE bytes from a loopback connection that a writer thread keeps full; N reads after a
 * warm-up. API: "stream" (Socket InputStream) or "channel" (SocketChannel).
 * Prints: NS_PER_READ wall cpu
 */
public class ReadLoop {
    public static void main(String[] args) throws Exception {
        String api = args[0];
        int size = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        int warmup = count / 5;
        InetAddress loopback = InetAddress.getLoopbackAddress();
        ServerSocket server = new ServerSocket(0, 1, loopback);
        InetSocketAddress address = new InetSocketAddress(loopback, server.getLocalPort());
        Socket socket = null;
        SocketChannel channel = null;
        if (api.equals("stream")) {
            socket = new Socket(loopback, server.getLocalPort());
        } else {
            channel = SocketChannel.open(address);
        }
        Socket writerEnd = server.accept();
        Thread writer = new Thread(() -> {
            try (OutputStream out = writerEnd.getOutputStream()) {
                byte[] chunk = new byte[1 << 16];
                while (true) {
                    out.write(chunk);
                }
            } catch (Exception done) {
                // the reader is finished
            }
        });
        writer.setDaemon(true);
        writer.start();
        InputStream in = socket == null ? null : socket.getInputStream();
        byte[] bytes = new byte[size];
        ByteBuffer buffer = ByteBuffer.allocate(size);
        long cpu0 = 0;
        long t0 = 0;
        for (int i = -warmup; i < count; i++) {
            if (i == 0) {
                cpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                t0 = System.nanoTime();
            }
            if (in != null) {
                in.read(bytes, 0, size);
            } else {
                buffer.clear();
                channel.read(buffer);
            }
        }
        long wall = System.nanoTime() - t0;
        long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0;
        System.out.println("NS_PER_READ " + wall / count + " " + cpu / count);
        System.exit(0);
    }
}
