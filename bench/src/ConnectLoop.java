import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketOption;
import java.net.StandardSocketOptions;

/**
 * connect + accept + close on loopback, N times after a warm-up, in one thread.
 * Modes: "none" (no keepalive code), "hand" (the four options set by hand on both ends, as an app
 * writes it: {@code Socket.setOption} on JDK 9+, {@code jdk.net.Sockets.setOption} on 8, through a
 * constant method handle, which the JIT inlines as it would the direct call).
 * Prints: NS_PER_CONNECTION wall cpu
 */
public class ConnectLoop {
    private static final SocketOption<Integer> TCP_KEEPIDLE = extended("TCP_KEEPIDLE");
    private static final SocketOption<Integer> TCP_KEEPINTERVAL = extended("TCP_KEEPINTERVAL");
    private static final SocketOption<Integer> TCP_KEEPCOUNT = extended("TCP_KEEPCOUNT");
    /** (Socket, SocketOption, Object)void */
    private static final MethodHandle SET_OPTION = setOption();

    public static void main(String[] args) throws Throwable {
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

    static void once(ServerSocket server, InetSocketAddress address, String mode) throws Throwable {
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

    static void configure(Socket socket) throws Throwable {
        SET_OPTION.invokeExact(socket, (SocketOption<?>) TCP_KEEPIDLE, (Object) 120);
        SET_OPTION.invokeExact(socket, (SocketOption<?>) TCP_KEEPINTERVAL, (Object) 30);
        SET_OPTION.invokeExact(socket, (SocketOption<?>) TCP_KEEPCOUNT, (Object) 4);
        SET_OPTION.invokeExact(socket, (SocketOption<?>) StandardSocketOptions.SO_KEEPALIVE, (Object) true);
    }

    @SuppressWarnings("unchecked")
    private static SocketOption<Integer> extended(String name) {
        try {
            return (SocketOption<Integer>) Class.forName("jdk.net.ExtendedSocketOptions").getField(name).get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MethodHandle setOption() {
        MethodType type = MethodType.methodType(void.class, Socket.class, SocketOption.class, Object.class);
        try {
            return MethodHandles.publicLookup().findVirtual(Socket.class, "setOption",
                    MethodType.methodType(Socket.class, SocketOption.class, Object.class)).asType(type);
        } catch (ReflectiveOperationException jdk8) {
            try {
                return MethodHandles.publicLookup().findStatic(Class.forName("jdk.net.Sockets"), "setOption", type);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
