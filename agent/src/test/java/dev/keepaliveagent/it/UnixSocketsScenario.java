package dev.keepaliveagent.it;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Unix-domain channels (JDK 16+; reached through reflection, as the scenarios are compiled for JDK 11),
 * through every path the agent hooks: an accept, a read and write, an end in order, a write that fails
 * (the peer closed: a broken pipe), the closes. Prints {@code DONE broken-pipe=<exception>}.
 */
public final class UnixSocketsScenario {

    public static void main(String[] args) throws Exception {
        Path directory = Files.createTempDirectory("ka-unix");
        SocketAddress address = (SocketAddress) Class.forName("java.net.UnixDomainSocketAddress")
                .getMethod("of", Path.class).invoke(null, directory.resolve("s"));
        ProtocolFamily unix = StandardProtocolFamily.valueOf("UNIX");
        try (ServerSocketChannel server = (ServerSocketChannel) ServerSocketChannel.class
                .getMethod("open", ProtocolFamily.class).invoke(null, unix)) {
            server.bind(address);
            try (SocketChannel client = SocketChannel.open(address); SocketChannel accepted = server.accept()) {
                client.write(ByteBuffer.wrap(new byte[] {1}));
                accepted.read(ByteBuffer.allocate(1));
                accepted.close();
                if (client.read(ByteBuffer.allocate(1)) != -1) {
                    throw new IllegalStateException("no end of stream");
                }
            }
            String brokenPipe = "none";
            try (SocketChannel client = SocketChannel.open(address)) {
                server.accept().close();
                for (int i = 0; i < 1000; i++) {
                    client.write(ByteBuffer.allocate(4096));
                }
            } catch (IOException expected) {
                brokenPipe = expected.toString();
            }
            System.out.println("DONE broken-pipe=" + brokenPipe);
        } finally {
            Files.deleteIfExists(directory.resolve("s"));
            Files.delete(directory);
        }
    }
}
