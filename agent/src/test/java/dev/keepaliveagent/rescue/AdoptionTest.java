package dev.keepaliveagent.rescue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keepaliveagent.config.Rules;
import dev.keepaliveagent.jdk.JdkSocketOptions;
import dev.keepaliveagent.jdk.JdkSockets;
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
 * While the start-up window is open, a connection no hook saw (a connect begun before the hooks were live
 * returned it, before the window's next look) is adopted on whichever rare path meets it first, an option
 * change or a failure, on real sockets: configured as the kernel then shows, once; anything but TCP is
 * left alone. Once the window has closed, a descriptor the agent does not know costs a look-up, no more.
 */
class AdoptionTest {

    private static final Rules SETTINGS = dev.keepaliveagent.config.AgentArgumentsAccess.rules("idle=600,intvl=60,cnt=20,utimeout=off");

    @Test
    void aFailedReadOnAConnectionNoHookSawAdoptsItOnce() throws Throwable {
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             SocketChannel client = SocketChannel.open(server.getLocalAddress());
             SocketChannel accepted = server.accept()) {
            Telemetry telemetry = new Telemetry();
            TunedSockets tuner = tunerListeningOn(((InetSocketAddress) server.getLocalAddress()).getPort(), telemetry);
            FileDescriptor fd = descriptor(accepted);

            tuner.ioFailed(fd, new IOException("Resource temporarily unavailable"));
            assertTrue(tuner.registered(fd).isConfigured(), "adopted by the failure");
            assertEquals(true, accepted.getOption(StandardSocketOptions.SO_KEEPALIVE));
            assertEquals(600, (int) accepted.getOption(jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE));
            assertEquals(1, tuner.configuredConnections());
            assertEquals(0, telemetry.deadPeersTotal(), "alive: the failure said nothing of the peer");

            tuner.ioFailed(fd, new IOException("Resource temporarily unavailable"));
            assertEquals(Boolean.TRUE, tuner.optionSet(fd, JdkSocketOptions.KEEPALIVE, Boolean.FALSE), "known now: kept on");
            assertEquals(1, tuner.configuredConnections(), "adopted once");
        }
    }

    @Test
    void anOptionChangeOnAConnectionNoHookSawAdoptsItAndKeepsKeepaliveOn() throws Throwable {
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             SocketChannel client = SocketChannel.open(server.getLocalAddress());
             SocketChannel accepted = server.accept()) {
            TunedSockets tuner = tunerListeningOn(((InetSocketAddress) server.getLocalAddress()).getPort(), new Telemetry());
            assertEquals(Boolean.TRUE, tuner.optionSet(descriptor(accepted), JdkSocketOptions.KEEPALIVE, Boolean.FALSE));
            assertEquals(600, (int) accepted.getOption(jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE));
        }
    }

    @Test
    void aUnixDomainSocketAndAConnectionNotYetConnectedAreNotAdopted() throws Throwable {
        TunedSockets tuner = tunerListeningOn(1, new Telemetry());
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
    void onceTheWindowHasClosedNothingIsAskedOfTheKernel() throws Throwable {
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             SocketChannel client = SocketChannel.open(server.getLocalAddress());
             SocketChannel accepted = server.accept()) {
            TunedSockets tuner = tunerListeningOn(((InetSocketAddress) server.getLocalAddress()).getPort(), new Telemetry());
            tuner.windowClosed();
            tuner.ioFailed(descriptor(accepted), new IOException("Resource temporarily unavailable"));
            assertNull(tuner.registered(descriptor(accepted)));
            assertEquals(Boolean.FALSE, tuner.optionSet(descriptor(accepted), JdkSocketOptions.KEEPALIVE, Boolean.FALSE),
                    "taken for a socket not connected yet: the app's choice stands");
            assertEquals(false, accepted.getOption(StandardSocketOptions.SO_KEEPALIVE));
        }
    }

    private static TunedSockets tunerListeningOn(int port, Telemetry telemetry) {
        TunedSockets tuner = new TunedSockets(SETTINGS, telemetry, new JdkSockets());
        tuner.found().listening(port);
        return tuner.adoptingFromTheWindow();
    }

    private static FileDescriptor descriptor(AbstractInterruptibleChannel channel) throws Exception {
        Method getFd = channel.getClass().getMethod("getFD");
        getFd.setAccessible(true);
        return (FileDescriptor) getFd.invoke(channel);
    }
}
