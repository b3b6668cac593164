package dev.keepaliveagent.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keepaliveagent.boot.Switchboard;
import dev.keepaliveagent.config.KeepaliveOption;
import dev.keepaliveagent.config.Rules;
import dev.keepaliveagent.jdk.OptionSetter;
import dev.keepaliveagent.rescue.TunedSockets;
import dev.keepaliveagent.log.AgentLog;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The platform refusing an option, or a socket closed under the agent: the app never notices, one line per cause. */
public class SocketTunerFaultTest {

    /**
     * In every cause this test makes: the agent's log counts repeats per cause for the JVM's life, so a
     * cause of its own keeps each run's count its own (a second run in the same JVM, as PIT makes, too).
     */
    private final String run = "run " + java.util.UUID.randomUUID();

    private static final Rules SETTINGS = dev.keepaliveagent.config.AgentArgumentsAccess.rules("idle=600,intvl=60,cnt=20,utimeout=off");
    private final List<FileInputStream> open = new ArrayList<>();

    private final dev.keepaliveagent.observe.Telemetry telemetry = new dev.keepaliveagent.observe.Telemetry();

    @AfterEach
    void close() throws IOException {
        for (FileInputStream stream : open) {
            stream.close();
        }
    }

    @Test
    void anOptionThePlatformRefusesIsLoggedOncePerCauseAndTheOthersStillApply() throws Exception {
        List<String> applied = new ArrayList<>();
        TunedSockets tuner = new TunedSockets(SETTINGS, telemetry, setter((fd, option, value) -> {
            if (option.equals("TCP_KEEPCOUNT")) {
                throw new IOException("Protocol not available (test " + getClass().getSimpleName() + " " + run + ")");
            }
            applied.add(option);
        }));
        for (int i = 0; i < 100; i++) {
            tuner.connected(validDescriptor(), InetAddress.getLoopbackAddress(), 5432);
        }
        String cause = "refused TCP_KEEPCOUNT java.io.IOException Protocol not available (test SocketTunerFaultTest " + run + ")";
        assertEquals(99, AgentLog.repeatsOf(cause), "logged once, the other 99 counted");
        assertEquals(300, applied.size(), "idle, interval and SO_KEEPALIVE still set on every socket");
        assertEquals(0, tuner.configuredConnections(), "none got every option");
        assertEquals(java.util.Map.of("TCP_KEEPCOUNT", 100L), telemetry.notConfiguredByOption(), "each refusal counted");
    }

    @Test
    void aRuntimeFailureOfTheJdkIsContainedToo() throws Exception {
        TunedSockets tuner = new TunedSockets(SETTINGS, telemetry, setter((fd, option, value) -> {
            throw new UnsupportedOperationException("'" + option + "' not supported (fault test " + run + ")");
        }));
        for (int i = 0; i < 10; i++) {
            tuner.connected(validDescriptor(), InetAddress.getLoopbackAddress(), 5432);
        }
        assertEquals(9, AgentLog.repeatsOf(
                "refused TCP_KEEPIDLE java.lang.UnsupportedOperationException 'TCP_KEEPIDLE' not supported (fault test " + run + ")"));
    }

    @Test
    void aSocketTheAppIsClosingIsNotAFaultEither() throws Exception {
        TunedSockets tuner = new TunedSockets(SETTINGS, telemetry, new OptionSetter() {
            @Override
            public void set(FileDescriptor fd, KeepaliveOption option, int value) throws IOException {
                throw new java.net.SocketException("Operation not supported (closing-socket test)");
            }

            @Override
            public void switchKeepaliveOn(FileDescriptor fd) throws IOException {
                throw new java.net.SocketException("Operation not supported (closing-socket test)");
            }

            @Override
            public boolean isOpenIpSocket(FileDescriptor fd) {
                return false; // the JDK's placeholder for a socket being closed
            }

            @Override
            public int get(FileDescriptor fd, int level, int option) {
                throw new AssertionError("nothing was configured, so nothing is read back");
            }
        });
        tuner.connected(validDescriptor(), InetAddress.getLoopbackAddress(), 5432);
        tuner.connected(validDescriptor(), InetAddress.getLoopbackAddress(), 5432);
        assertEquals(0, AgentLog.repeatsOf(
                "refused TCP_KEEPIDLE java.net.SocketException Operation not supported (closing-socket test)"));
    }

    @Test
    void aSocketClosedBetweenConnectAndConfigureIsNotAFault() {
        AtomicInteger calls = new AtomicInteger();
        TunedSockets tuner = new TunedSockets(SETTINGS, telemetry, setter((fd, option, value) -> {
            calls.incrementAndGet();
            throw new IOException("Bad file descriptor (closed-socket test " + run + ")");
        }));
        long suppressedBefore = Switchboard.suppressedErrors();
        for (int i = 0; i < 2; i++) {
            FileDescriptor closed = new FileDescriptor(); // not valid: the app closed it meanwhile
            tuner.connected(closed, InetAddress.getLoopbackAddress(), 5432);
        }
        assertEquals(8, calls.get(), "four options tried on each of the two sockets");
        assertEquals(java.util.Map.of(), telemetry.notConfiguredByOption(), "no refusal counted");
        assertEquals(0, AgentLog.repeatsOf("refused TCP_KEEPIDLE java.io.IOException Bad file descriptor (closed-socket test " + run + ")"),
                "not logged a second time, so not a refusal");
        assertEquals(suppressedBefore, Switchboard.suppressedErrors(), "not an internal error either");
    }

    /** What reached the switchboard's error log, while a test listens: it is installed once per JVM, as in the agent. */
    private static final List<String> LOGGED = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static volatile boolean listening;

    static {
        Switchboard.installErrorLog((doing, error) -> {
            if (listening) {
                LOGGED.add(doing + ": " + error);
            }
        });
    }

    @Test
    void anErrorInsideTheAgentIsCountedAndLoggedOnceAndTheAppNeverSeesIt() throws Exception {
        List<String> logged = LOGGED;
        logged.clear();
        listening = true;
        try {
            // What JDK 11 did: a class of the agent that cannot initialise on this JDK.
            TunedSockets tuner = new TunedSockets(SETTINGS, telemetry, setter((fd, option, value) -> {
                throw new NoClassDefFoundError("Could not initialize class (internal error test)");
            }));
            long before = Switchboard.suppressedErrors();
            for (int i = 0; i < 10; i++) {
                tuner.connected(validDescriptor(), InetAddress.getLoopbackAddress(), 5432); // returns normally
            }
            assertEquals(10, Switchboard.suppressedErrors() - before, "every one counted");
            assertEquals(10, logged.size(), "each handed to the agent's log, which writes the first of its kind");
            assertEquals("configuring a connection: java.lang.NoClassDefFoundError: Could not initialize class"
                    + " (internal error test)", logged.get(0));
            assertTrue(Switchboard.lastSuppressedError().startsWith("configuring a connection: java.lang.NoClassDefFoundError:"
                    + " Could not initialize class (internal error test) at dev.keepaliveagent.tune.SocketTunerFaultTest"),
                    Switchboard.lastSuppressedError());
            assertEquals(0, tuner.configuredConnections());
        } finally {
            listening = false;
        }
    }

    @Test
    void anAcceptedConnectionGetsTheRuleOfThePortItCameInOn() throws Exception {
        try (java.nio.channels.ServerSocketChannel listener = java.nio.channels.ServerSocketChannel.open()) {
            listener.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = listener.socket().getLocalPort();
            java.util.Map<String, Object> applied = new java.util.HashMap<>();
            TunedSockets tuner = new TunedSockets(dev.keepaliveagent.config.AgentArgumentsAccess.rules(
                    "idle=600,intvl=60,cnt=20,utimeout=off,rules=listen=" + port + " => idle=30"), telemetry,
                    setter((fd, option, value) -> applied.put(option, value)));
            tuner.accepted(validDescriptor(), new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 40000), listener);
            assertEquals(30, applied.get("TCP_KEEPIDLE"), "the listen rule: " + applied);
            applied.clear();
            tuner.connected(validDescriptor(), InetAddress.getLoopbackAddress(), port);
            assertEquals(600, applied.get("TCP_KEEPIDLE"), "a connection made to that port is not accepted on it: " + applied);
        }
    }

    @Test
    void optionsOfUnrelatedKindsPassUntouched() throws Exception {
        TunedSockets tuner = new TunedSockets(SETTINGS, telemetry, setter((fd, option, value) -> { }));
        Object value = Integer.valueOf(65536);
        SocketOption<Integer> receiveBuffer = java.net.StandardSocketOptions.SO_RCVBUF;
        assertSame(value, tuner.optionSet(validDescriptor(), receiveBuffer, value));
    }

    @Test
    void aUserTimeoutThePlatformRefusesLeavesKeepaliveInPlace() throws Exception {
        List<String> applied = new ArrayList<>();
        TunedSockets tuner = new TunedSockets(dev.keepaliveagent.config.AgentArgumentsAccess.rules("utimeout=5s"), telemetry,
                new OptionSetter() {
                    @Override
                    public void set(FileDescriptor fd, KeepaliveOption option, int value) throws IOException {
                        if (option == KeepaliveOption.UTIMEOUT) {
                            throw new IOException("Protocol not available (user timeout test " + run + ")");
                        }
                        applied.add(option.javaName());
                    }

                    @Override
                    public void switchKeepaliveOn(FileDescriptor fd) {
                        applied.add("SO_KEEPALIVE");
                    }

                    @Override
                    public boolean isOpenIpSocket(FileDescriptor fd) {
                        return true;
                    }

                    @Override
                    public int get(FileDescriptor fd, int level, int option) {
                        throw new AssertionError("not every option was set, so nothing is read back");
                    }
                });
        for (int i = 0; i < 3; i++) {
            tuner.connected(validDescriptor(), InetAddress.getLoopbackAddress(), 5432);
        }
        assertEquals(2, AgentLog.repeatsOf("refused TCP_USER_TIMEOUT java.io.IOException Protocol not available (user timeout test " + run + ")"));
        assertEquals(12, applied.size(), "keepalive's four options on each socket all the same");
    }

    /** Linux's (level, option) numbers of what the agent sets. */
    private static final java.util.Map<String, String> LINUX_OPTIONS = java.util.Map.of("1/9", "SO_KEEPALIVE",
            "6/4", "TCP_KEEPIDLE", "6/5", "TCP_KEEPINTERVAL", "6/6", "TCP_KEEPCOUNT");

    @Test
    void theFirstConnectionOfEachKindIsReadBackFromTheKernel() throws Exception {
        List<String> readBack = new ArrayList<>();
        TunedSockets tuner = new TunedSockets(SETTINGS, telemetry, truthfulCountingReads(readBack));
        for (int i = 0; i < 3; i++) {
            tuner.connected(validDescriptor(), InetAddress.getLoopbackAddress(), 5432);
            tuner.accepted(validDescriptor(), new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 40000 + i), null);
        }
        assertEquals(java.util.Set.of("connect", "accept"), tuner.verifiedKinds());
        assertEquals(8, readBack.size(), "four options of the first connection of each kind, none of the later ones: " + readBack);
        assertEquals(java.util.Map.of(), telemetry.readBackMismatchesByKind());
    }

    /**
     * A connection the start-up window configured through a descriptor of its own, made from the number,
     * is not read back: by then the app may have closed it and the number serve a socket a hook is still
     * configuring, which would read as a JDK that drops the agent's calls. The first hooked one is.
     */
    @Test
    void aConnectionConfiguredThroughItsNumberIsNotReadBackTheFirstHookedOneIs() throws Exception {
        List<String> readBack = new ArrayList<>();
        TunedSockets tuner = new TunedSockets(SETTINGS, telemetry, truthfulCountingReads(readBack));
        java.net.InetSocketAddress peer = new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 5432);
        tuner.rescue(validDescriptor(), peer, "connect", tuner.settingsFor(peer, -1), false);
        assertEquals(4, readBack.size(), "the window's connection: what the app had set, read before, and nothing after: " + readBack);
        assertEquals(java.util.Set.of(), tuner.verifiedKinds());
        tuner.connected(validDescriptor(), InetAddress.getLoopbackAddress(), 5432);
        assertEquals(8, readBack.size(), "the first hooked connect is read back: " + readBack);
        assertEquals(java.util.Set.of("connect"), tuner.verifiedKinds());
    }

    /** A kernel that has what was set, each option read added to {@code reads} as "level/option". */
    private static OptionSetter truthfulCountingReads(List<String> reads) {
        OptionSetter truthful = setter((fd, option, value) -> { });
        return new OptionSetter() {
            @Override
            public void set(FileDescriptor fd, KeepaliveOption option, int value) throws IOException {
                truthful.set(fd, option, value);
            }

            @Override
            public void switchKeepaliveOn(FileDescriptor fd) throws IOException {
                truthful.switchKeepaliveOn(fd);
            }

            @Override
            public boolean isOpenIpSocket(FileDescriptor fd) {
                return true;
            }

            @Override
            public int get(FileDescriptor fd, int level, int option) throws IOException {
                reads.add(level + "/" + option);
                return truthful.get(fd, level, option);
            }
        };
    }

    @Test
    void aJdkThatTakesTheAgentsCallsWithoutEffectIsFoundOut() throws Exception {
        // The calls return normally, the kernel keeps its defaults: what a JDK with unexpected internals could do.
        TunedSockets tuner = new TunedSockets(SETTINGS, telemetry, new OptionSetter() {
            @Override
            public void set(FileDescriptor fd, KeepaliveOption option, int value) {
            }

            @Override
            public void switchKeepaliveOn(FileDescriptor fd) {
            }

            @Override
            public boolean isOpenIpSocket(FileDescriptor fd) {
                return true;
            }

            @Override
            public int get(FileDescriptor fd, int level, int option) {
                return java.util.Map.of("1/9", 0, "6/4", 7200, "6/5", 75, "6/6", 9).get(level + "/" + option);
            }
        });
        for (int i = 0; i < 3; i++) {
            tuner.connected(validDescriptor(), InetAddress.getLoopbackAddress(), 5432);
        }
        assertEquals(java.util.Map.of("connect", 1L), telemetry.readBackMismatchesByKind(), "one kind, counted once");
        assertEquals(java.util.Set.of(), tuner.verifiedKinds());
    }

    /** Sets one option, named as the JDK names it: TCP_KEEPIDLE, TCP_KEEPINTERVAL, TCP_KEEPCOUNT, SO_KEEPALIVE. */
    public interface KeepaliveSetter {
        void set(FileDescriptor fd, String option, Object value) throws IOException;
    }

    /** A platform that sets options through {@code keepalive}, and a kernel that then has what was set. */
    public static OptionSetter setter(KeepaliveSetter keepalive) {
        return setter(keepalive, false);
    }

    /** As {@link #setter(KeepaliveSetter)}; {@code keepaliveOff}: SO_KEEPALIVE reads as off (0) until switched on. */
    public static OptionSetter setter(KeepaliveSetter keepalive, boolean keepaliveOff) {
        java.util.Map<String, Integer> kernel = new java.util.concurrent.ConcurrentHashMap<>();
        return new OptionSetter() {
            @Override
            public void set(FileDescriptor fd, KeepaliveOption option, int value) throws IOException {
                if (option == KeepaliveOption.UTIMEOUT) {
                    throw new AssertionError("utimeout is off in these tests");
                }
                keepalive.set(fd, option.javaName(), value);
                kernel.put(fd.hashCode() + " " + option.javaName(), value);
            }

            @Override
            public void switchKeepaliveOn(FileDescriptor fd) throws IOException {
                keepalive.set(fd, "SO_KEEPALIVE", Boolean.TRUE);
                kernel.put(fd.hashCode() + " SO_KEEPALIVE", 1);
            }

            @Override
            public int get(FileDescriptor fd, int level, int option) {
                String name = LINUX_OPTIONS.get(level + "/" + option);
                return kernel.getOrDefault(fd.hashCode() + " " + name, keepaliveOff && name.equals("SO_KEEPALIVE") ? 0 : -1);

            }

            @Override
            public boolean isOpenIpSocket(FileDescriptor fd) {
                return true;
            }
        };
    }

    private FileDescriptor validDescriptor() throws IOException {
        FileInputStream stream = new FileInputStream("/dev/null");
        open.add(stream);
        return stream.getFD();
    }
}
