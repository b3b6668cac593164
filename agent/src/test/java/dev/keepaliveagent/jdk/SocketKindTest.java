package dev.keepaliveagent.jdk;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileDescriptor;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AbstractInterruptibleChannel;
import org.junit.jupiter.api.Test;

/** A descriptor no hook saw is taken for TCP only when the kernel says so: family, type and protocol. */
class SocketKindTest {

    private final SocketOptionWriter linux = new SocketOptionWriter(Platform.LINUX);

    @Test
    void tcpOverIpv4AndIpv6IsTcpListeningOrConnected() throws Exception {
        for (InetAddress loopback : new InetAddress[] {InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1")}) {
            try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(loopback, 0));
                 SocketChannel client = SocketChannel.open(server.getLocalAddress());
                 SocketChannel accepted = server.accept()) {
                assertTrue(linux.isTcpSocket(descriptor(server)), loopback + " listening");
                assertTrue(linux.isTcpSocket(descriptor(client)), loopback + " connected");
                assertTrue(linux.isTcpSocket(descriptor(accepted)), loopback + " accepted");
            }
        }
    }

    @Test
    void udpAUnixDomainSocketAndAClosedOneAreNot() throws Exception {
        try (DatagramChannel udp = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            assertFalse(linux.isTcpSocket(descriptor(udp)), "UDP");
        }
        // SocketChannel.open(ProtocolFamily) is JDK 15's, the UNIX family 16's; the tests compile for 11
        try (SocketChannel unix = (SocketChannel) SocketChannel.class.getMethod("open", ProtocolFamily.class)
                .invoke(null, StandardProtocolFamily.valueOf("UNIX"))) {
            assertFalse(linux.isTcpSocket(descriptor(unix)), "Unix domain");
        }
        SocketChannel closed = SocketChannel.open();
        FileDescriptor fd = descriptor(closed);
        closed.close();
        assertFalse(linux.isTcpSocket(fd), "closed");
        assertFalse(new SocketOptionWriter(Platform.MACOS).isTcpSocket(fd), "elsewhere than Linux, never");
    }

    private static FileDescriptor descriptor(AbstractInterruptibleChannel channel) throws Exception {
        Method getFd = channel.getClass().getMethod("getFD");
        getFd.setAccessible(true);
        return (FileDescriptor) getFd.invoke(channel);
    }
}
