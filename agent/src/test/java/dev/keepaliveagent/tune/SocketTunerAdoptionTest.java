package dev.keepaliveagent.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keepaliveagent.config.Rules;
import dev.keepaliveagent.observe.Telemetry;
import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AbstractInterruptibleChannel;
import org.junit.jupiter.api.Test;

/**
 * A connection no hook saw (accepted by an accept that began before the hooks were live, on a listening
 * socket the start-up window found) is adopted on whichever rare path meets it first, an option change or
 * a failure, on real sockets: configured as the kernel then shows, once; anything but TCP is left alone.
 */
class SocketTunerAdoptionTest {

    private static final Rules SETTINGS = dev.keepaliveagent.config.AgentArgumentsAccess.rules("idle=600,intvl=60,cnt=20,utimeout=off");

    @Test
    void aFailedReadOnAConnectionNoHookSawAdoptsItOnce() throws Throwable {
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             SocketChannel client = SocketChannel.open(server.getLocalAddress());
             SocketChannel accepted = server.accept()) {
            Telemetry telemetry = new Telemetry();
            SocketTuner tuner = tunerListeningOn(((InetSocketAddress) server.getLocalAddress()).getPort(), telemetry);
            FileDescriptor fd = descriptor(accepted);

            tuner.ioFailed(fd, new IOException("Resource temporarily unavailable"));
            assertTrue(tuner.registered(fd).isConfigured(), "adopted by the failure");
            assertEquals(true, accepted.getOption(StandardSocketOptions.SO_KEEPALIVE));
            assertEquals(600, (int) accepted.getOption(jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE));
            assertEquals(1, tuner.configuredConnections());
            assertEquals(0, telemetry.deadPeersTotal(), "alive: the failure said nothing of the peer");

            tuner.ioFailed(fd, new IOException("Resource temporarily unavailable"));
            assertEquals(Boolean.TRUE, tuner.optionSet(fd, KeepaliveOptions.KEEPALIVE, Boolean.FALSE), "known now: kept on");
            assertEquals(1, tuner.configuredConnections(), "adopted once");
        }
    }

    @Test
    void anOptionChangeOnAConnectionNoHookSawAdoptsItAndKeepsKeepaliveOn() throws Throwable {
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             SocketChannel client = SocketChannel.open(server.getLocalAddress());
             SocketChannel accepted = server.accept()) {
            SocketTuner tuner = tunerListeningOn(((InetSocketAddress) server.getLocalAddress()).getPort(), new Telemetry());
            assertEquals(Boolean.TRUE, tuner.optionSet(descriptor(accepted), KeepaliveOptions.KEEPALIVE, Boolean.FALSE));
            assertEquals(600, (int) accepted.getOption(jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE));
        }
    }

    @Test
    void aUnixDomainSocketAndAConnectionNotYetConnectedAreNotAdopted() throws Throwable {
        SocketTuner tuner = tunerListeningOn(1, new Telemetry());
        try (SocketChannel unix = (SocketChannel) SocketChannel.class.getMethod("open", ProtocolFamily.class)
                .invoke(null, StandardProtocolFamily.valueOf("UNIX"));
             SocketChannel unconnected = SocketChannel.open()) {
            tuner.ioFailed(descriptor(unix), new IOException("Broken pipe"));
            assertNull(tuner.registered(descriptor(unix)));
            tuner.ioFailed(descriptor(unconnected), new IOException("Broken pipe"));
            assertNull(tuner.registered(descriptor(unconnected)));
        }
    }

    @Test
    void withoutAListeningSocketFromBeforeTheHooksNothingIsAskedOfTheKernel() throws Throwable {
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             SocketChannel client = SocketChannel.open(server.getLocalAddress());
             SocketChannel accepted = server.accept()) {
            SocketTuner tuner = new SocketTuner(SETTINGS, new Telemetry(), new JdkSockets());
            tuner.adoptFrom(new UnseenConnections(false));
            tuner.ioFailed(descriptor(accepted), new IOException("Resource temporarily unavailable"));
            assertNull(tuner.registered(descriptor(accepted)));
            assertEquals(false, accepted.getOption(StandardSocketOptions.SO_KEEPALIVE));
        }
    }

    private static SocketTuner tunerListeningOn(int port, Telemetry telemetry) {
        SocketTuner tuner = new SocketTuner(SETTINGS, telemetry, new JdkSockets());
        UnseenConnections unseen = new UnseenConnections(false);
        unseen.listening(port);
        tuner.adoptFrom(unseen);
        return tuner;
    }

    private static FileDescriptor descriptor(AbstractInterruptibleChannel channel) throws Exception {
        Method getFd = channel.getClass().getMethod("getFD");
        getFd.setAccessible(true);
        return (FileDescriptor) getFd.invoke(channel);
    }
}
