import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Opens N connections at once (both ends in this JVM), keeps them open, and counts in the kernel's
 * own tables how many of their sockets have a keepalive timer. Modes: "none", "hand"; an optional
 * third argument opens and closes that many connections first (JIT warm-up).
 * Prints: MANY established=E keepalive_timers=K establish_ms=T
 */
public class ManyConnections {
    public static void main(String[] args) throws Throwable {
        String mode = args[0];
        int count = Integer.parseInt(args[1]);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        ServerSocket server = new ServerSocket(0, count, loopback);
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        for (int i = 0; i < warmup; i++) {
            Socket client = new Socket(loopback, server.getLocalPort());
            Socket accepted = server.accept();
            if (mode.equals("hand")) {
                ConnectLoop.configure(client);
                ConnectLoop.configure(accepted);
            }
            client.close();
            accepted.close();
        }
        List<Socket> open = new ArrayList<>();
        Set<Integer> clientPorts = new HashSet<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            Socket client = new Socket(loopback, server.getLocalPort());
            Socket accepted = server.accept();
            if (mode.equals("hand")) {
                ConnectLoop.configure(client);
                ConnectLoop.configure(accepted);
            }
            open.add(client);
            open.add(accepted);
            clientPorts.add(client.getLocalPort());
        }
        long establishMs = (System.nanoTime() - t0) / 1_000_000;
        int serverPort = server.getLocalPort();
        int established = 0;
        int timers = 0;
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            for (String line : Files.readAllLines(Paths.get(table))) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 6 || f[0].equals("sl") || !f[3].equals("01")) {
                    continue;
                }
                int local = port(f[1]);
                int remote = port(f[2]);
                boolean ours = (clientPorts.contains(local) && remote == serverPort)
                        || (local == serverPort && clientPorts.contains(remote));
                if (ours) {
                    established++;
                    if (f[5].startsWith("02:")) {
                        timers++;
                    }
                }
            }
        }
        System.out.println("MANY established=" + established + " keepalive_timers=" + timers + " establish_ms=" + establishMs);
        for (Socket socket : open) {
            socket.close();
        }
    }

    static int port(String address) {
        return Integer.parseInt(address.substring(address.indexOf(':') + 1), 16);
    }
}
