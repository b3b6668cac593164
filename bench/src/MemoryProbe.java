import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Heap and metaspace in use after start-up and a full GC, and loaded classes; then, with an
 * argument N, the heap after N connect/accept/close cycles and a GC.
 * Prints: MEMORY heap_bytes metaspace_bytes classes [heap_after_N]
 */
public class MemoryProbe {
    public static void main(String[] args) throws Exception {
        // The agent starts beside main: its start-up's garbage and classes count once it has ended.
        while (agentStarting()) {
            Thread.sleep(1);
        }
        // One connection first, so that both variants have loaded the JDK's socket classes.
        InetAddress loopback = InetAddress.getLoopbackAddress();
        ServerSocket server = new ServerSocket(0, 100, loopback);
        cycle(server, loopback);
        long heap = heapAfterGc();
        long metaspace = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getName().equals("Metaspace")) {
                metaspace = pool.getUsage().getUsed();
            }
        }
        int classes = ManagementFactory.getClassLoadingMXBean().getLoadedClassCount();
        StringBuilder line = new StringBuilder("MEMORY " + heap + " " + metaspace + " " + classes);
        if (args.length > 0) {
            int cycles = Integer.parseInt(args[0]);
            for (int i = 0; i < cycles; i++) {
                cycle(server, loopback);
            }
            line.append(' ').append(heapAfterGc());
        }
        System.out.println(line);
    }

    /** Whether the agent is loaded and its start-up has not ended yet. */
    static boolean agentStarting() throws Exception {
        try {
            Class<?> switchboard = Class.forName("dev.keepaliveagent.boot.Switchboard", false, null);
            return !(Boolean) switchboard.getMethod("hasStartedUp").invoke(null);
        } catch (ClassNotFoundException noAgentOrNotYet) {
            for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (argument.startsWith("-javaagent:") && argument.contains("keepalive-agent")) {
                    return true; // not yet
                }
            }
            return false;
        }
    }

    static void cycle(ServerSocket server, InetAddress loopback) throws Exception {
        Socket client = new Socket(loopback, server.getLocalPort());
        Socket accepted = server.accept();
        client.close();
        accepted.close();
    }

    static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
