import java.io.ByteArrayOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * A process that answers the JDK's attach protocol as its owner wants: run as a second user by
 * FakeAttachListenerIT (java FakeAttachListener.java LOG), it listens where an attach client looks for
 * the JVM of its PID, writes each request it gets to LOG, and answers the agent properties with text
 * made to forge lines and drive a terminal, and a JMX address for a client that would follow it.
 */
public class FakeAttachListener {

    private static final String ESC = "\u001b";

    private static final String HOSTILE = ""
            + "dev.keepaliveagent.version=6.6.6" + ESC + "]0;owned" + "\u0007\n"
            + "dev.keepaliveagent.settings=idle=1s\\n[keepalive-agent] ERROR: forged" + ESC + "[31m\\u001b[2J\\u009b\\u202e\n"
            + "dev.keepaliveagent.configured=7\n"
            + "dev.keepaliveagent.deadPeers=0\n"
            + "dev.keepaliveagent.suppressedErrors=0\n"
            + "dev.keepaliveagent.hooked=Net.connect\\r[keepalive-agent] ERROR: forged too\n"
            + "dev.keepaliveagent.readBackMismatches=\n"
            + "com.sun.management.jmxremote.localConnectorAddress=service:jmx:rmi://127.0.0.1:1/stub/rO0ABXNyAA5jb20uZXZpbC5HYWRnZXQAAAAAAAAAAQIAAHhw\n";

    public static void main(String[] arguments) throws Exception {
        Path log = Path.of(arguments[0]);
        long pid = ProcessHandle.current().pid();
        Path socket = Path.of("/tmp/.java_pid" + pid);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            try {
                Files.deleteIfExists(socket);
                server.bind(UnixDomainSocketAddress.of(socket));
            } catch (java.io.IOException taken) {
                // another user's process that had this pid left its socket here: the test starts another one
                append(log, "TAKEN " + pid + " " + taken);
                System.exit(3);
            }
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            append(log, "LISTENING " + pid);
            while (true) {
                try (SocketChannel client = server.accept()) {
                    List<String> request = request(client);
                    append(log, "REQUEST " + String.join(" ", request));
                    String command = request.size() > 1 ? request.get(1) : "";
                    String reply = command.equals("agentProperties") || command.equals("properties")
                            ? "0\n" + HOSTILE : "1\nnot supported\n";
                    client.write(ByteBuffer.wrap(reply.getBytes(StandardCharsets.ISO_8859_1)));
                } catch (java.io.IOException e) {
                    append(log, "FAILED " + e);
                }
            }
        } finally {
            Files.deleteIfExists(socket);
        }
    }

    /** A version-1 request: the protocol version, the command and three arguments, each ended by a NUL. */
    private static List<String> request(SocketChannel client) throws Exception {
        List<String> parts = new ArrayList<>();
        ByteArrayOutputStream part = new ByteArrayOutputStream();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (parts.size() < 5) {
            one.clear();
            if (client.read(one) < 0) {
                break;
            }
            byte b = one.get(0);
            if (b == 0) {
                parts.add(part.toString(StandardCharsets.UTF_8));
                part.reset();
            } else {
                part.write(b);
            }
        }
        return parts;
    }

    private static void append(Path log, String line) throws Exception {
        Files.write(log, (line + "\n").getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
    }
}
