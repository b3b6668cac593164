package dev.keepaliveagent.rescue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keepaliveagent.config.KeepaliveOption;
import dev.keepaliveagent.config.Rules;
import dev.keepaliveagent.jdk.FileDescriptors;
import dev.keepaliveagent.jdk.JdkSocketOptions;
import dev.keepaliveagent.observe.Telemetry;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * While the agent starts, one socket can reach it twice: through the app's descriptor object (a hook)
 * and through one the start-up window makes from the descriptor's number. Both must find one entry.
 */
class WindowMeetsHooksTest {

    private static final Rules SETTINGS = dev.keepaliveagent.config.AgentArgumentsAccess.rules("idle=600,intvl=60,cnt=20,utimeout=off");
    private static final InetSocketAddress PEER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 5432);

    @Test
    void anOptionTheAppSetBeforeTheLookIsOnTheEntryTheLookConfigures() throws Throwable {
        try (FileInputStream stream = new FileInputStream("/dev/null")) {
            FileDescriptor app = stream.getFD();
            TunedSockets tuner = tuner();
            tuner.windowOpened();
            assertEquals(Boolean.FALSE, tuner.optionSet(app, JdkSocketOptions.KEEPALIVE, Boolean.FALSE),
                    "not configured yet: the app's choice stands, and is recorded");

            int number = FileDescriptors.numberOf(app);
            dev.keepaliveagent.lifecycle.Connection found = tuner.numbered(number);
            assertNotNull(found, "the window finds the entry the hook made");
            FileDescriptor windows = FileDescriptors.descriptorOf(number);
            tuner.rescue(windows, PEER, "connect", tuner.settingsFor(PEER, -1), false);

            assertSame(tuner.registered(app), tuner.registered(windows), "one entry for the socket");
            assertTrue(tuner.registered(app).isConfigured());
            assertEquals(Boolean.TRUE, tuner.optionSet(app, JdkSocketOptions.KEEPALIVE, Boolean.FALSE),
                    "the app's next switch-off meets the configured entry: keepalive stays on");
            assertEquals(1, tuner.configuredConnections());
        }
    }

    @Test
    void aSocketAHookConfiguredIsConfiguredOnceThoughTheWindowMeetsItToo() throws Throwable {
        try (FileInputStream stream = new FileInputStream("/dev/null")) {
            FileDescriptor app = stream.getFD();
            TunedSockets tuner = tuner();
            tuner.windowOpened();
            tuner.connected(app, PEER.getAddress(), PEER.getPort());
            FileDescriptor windows = FileDescriptors.descriptorOf(FileDescriptors.numberOf(app));
            assertEquals("configured by a hook at the same moment",
                    tuner.rescue(windows, PEER, "connect", tuner.settingsFor(PEER, -1), false));
            assertSame(tuner.registered(app), tuner.registered(windows));
            assertEquals(1, tuner.configuredConnections(), "configured once");
            assertTrue(tuner.registered(app).markDead(), "so it dies once");
            assertTrue(!tuner.registered(windows).markDead());
        }
    }

    @Test
    void aClosedSocketsNumberServesTheNextSocketAfreshAndTheWindowsEndForgetsNumbers() throws Throwable {
        TunedSockets tuner = tuner();
        tuner.windowOpened();
        int number;
        try (FileInputStream stream = new FileInputStream("/dev/null")) {
            FileDescriptor app = stream.getFD();
            tuner.connected(app, PEER.getAddress(), PEER.getPort());
            number = FileDescriptors.numberOf(app);
            tuner.closing(app);
        }
        assertNull(tuner.numbered(number), "closed: its number is free");
        try (FileInputStream stream = new FileInputStream("/dev/null")) {
            FileDescriptor next = stream.getFD();
            tuner.connected(next, PEER.getAddress(), PEER.getPort());
            assertNotNull(tuner.numbered(FileDescriptors.numberOf(next)));
            tuner.windowClosed();
            assertNull(tuner.numbered(FileDescriptors.numberOf(next)));
            assertTrue(tuner.registered(next).isConfigured(), "still known by its descriptor object");
        }
    }

    @Test
    void aSwitchOffLetThroughJustBeforeTheLookConfiguresIsUndoneAsTheAppsCallReturns() throws Throwable {
        try (FileInputStream stream = new FileInputStream("/dev/null")) {
            FileDescriptor app = stream.getFD();
            List<String> kernel = new ArrayList<>();
            TunedSockets tuner = new TunedSockets(SETTINGS, new Telemetry(),
                    dev.keepaliveagent.tune.SocketTunerFaultTest.setter((descriptor, option, value) -> kernel.add(option + "=" + value)));
            tuner.windowOpened();
            assertEquals(Boolean.FALSE, tuner.optionSet(app, JdkSocketOptions.KEEPALIVE, Boolean.FALSE), "not configured yet");
            tuner.optionWasSet(app, JdkSocketOptions.KEEPALIVE, Boolean.FALSE);
            assertEquals(List.of(), kernel, "not configured yet: the app's choice stands");

            // The app's thread has let SO_KEEPALIVE=false through; the look configures before the kernel takes it
            int number = FileDescriptors.numberOf(app);
            tuner.rescue(FileDescriptors.descriptorOf(number), PEER, "connect", tuner.settingsFor(PEER, -1), false);
            assertTrue(kernel.contains("SO_KEEPALIVE=true"), kernel::toString);
            kernel.clear();
            tuner.optionWasSet(app, JdkSocketOptions.KEEPALIVE, Boolean.FALSE);
            assertEquals(List.of("SO_KEEPALIVE=true"), kernel, "set on again as the app's call returns");

            kernel.clear();
            tuner.optionWasSet(app, JdkSocketOptions.of(KeepaliveOption.IDLE), 601);
            assertEquals(List.of("TCP_KEEPIDLE=600"), kernel, "a laxer idle, as well");
            kernel.clear();
            tuner.optionWasSet(app, JdkSocketOptions.of(KeepaliveOption.IDLE), 30);
            tuner.optionWasSet(app, JdkSocketOptions.KEEPALIVE, Boolean.TRUE);
            assertEquals(List.of(), kernel, "a stricter value, or keepalive on, stands");
        }
    }

    private static TunedSockets tuner() {
        return new TunedSockets(SETTINGS, new Telemetry(), dev.keepaliveagent.tune.SocketTunerFaultTest.setter((descriptor, option, value) -> { }));
    }
}
