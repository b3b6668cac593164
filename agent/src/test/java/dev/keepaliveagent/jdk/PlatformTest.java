package dev.keepaliveagent.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keepaliveagent.config.KeepaliveOption;
import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Linux's option numbers go to Linux alone; elsewhere the JDK's own jdk.net options, or nothing and a refusal. */
class PlatformTest {

    @ParameterizedTest(name = "os.name={0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "Linux               | LINUX   | true",
        "Mac OS X            | MACOS   | false",
        "Darwin              | MACOS   | false",
        "Windows 11          | WINDOWS | false",
        "Windows Server 2022 | WINDOWS | false",
        "FreeBSD             | OTHER   | false",
        "SunOS               | OTHER   | false",
        "AIX                 | OTHER   | false",
    })
    void theSystemAndWhetherItTakesLinuxsNumbers(String osName, Platform platform, boolean linuxNumbers) {
        assertEquals(platform, Platform.of(osName));
        assertEquals(linuxNumbers, platform.takesLinuxNumbers());
    }

    /**
     * As macOS, on this Linux host: the idle time reaches the kernel through the JDK's own jdk.net code (here
     * the JDK's Linux one, so the kernel's value proves the path), TCP_USER_TIMEOUT and TCP_INFO are not asked.
     */
    @Test
    void elsewhereTheKeepaliveOptionsGoThroughTheJdkAndTheLinuxOnlyOnesAreNotAsked() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             SocketChannel client = SocketChannel.open(server.getLocalAddress());
             SocketChannel accepted = server.accept()) {
            FileDescriptor fd = descriptor(client);
            SocketOptionWriter macos = new SocketOptionWriter(Platform.MACOS);
            macos.set(fd, KeepaliveOption.IDLE, 611);
            macos.switchKeepaliveOn(fd);
            assertEquals(611, (int) client.getOption(jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE));
            assertEquals(611, macos.getInt(fd, KeepaliveOption.IPPROTO_TCP, KeepaliveOption.IDLE.linuxNumber()));
            assertEquals(1, macos.getInt(fd, SocketOptionWriter.SOL_SOCKET, SocketOptionWriter.SO_KEEPALIVE));
            assertTrue(macos.isIpSocket(fd));
            UnsupportedOperationException refused = assertThrows(UnsupportedOperationException.class,
                    () -> macos.set(fd, KeepaliveOption.UTIMEOUT, 5000));
            assertEquals("TCP_USER_TIMEOUT is a Linux socket option and this is macOS", refused.getMessage());
            assertThrows(IOException.class, () -> macos.tcpState(fd));
            assertEquals(0, new SocketOptionWriter(Platform.LINUX).getInt(fd, KeepaliveOption.IPPROTO_TCP,
                    KeepaliveOption.UTIMEOUT.linuxNumber()), "never set");
        }
    }

    private static FileDescriptor descriptor(SocketChannel channel) throws Exception {
        Method getFd = channel.getClass().getMethod("getFD");
        getFd.setAccessible(true);
        return (FileDescriptor) getFd.invoke(channel);
    }
}
