import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * The other ends of bench/size.sh's open connections, in a process of their own, so that each of the
 * measured app's connections costs it one descriptor, not two. Listens on loopback, prints
 * {@code LISTENING port}, accepts and holds every connection until it is killed.
 */
public class HoldingPeer {
    public static void main(String[] args) throws Exception {
        ServerSocket server = new ServerSocket(0, 65535, InetAddress.getLoopbackAddress());
        System.out.println("LISTENING " + server.getLocalPort());
        System.out.flush();
        List<Socket> held = new ArrayList<>();
        while (true) {
            held.add(server.accept());
        }
    }
}
