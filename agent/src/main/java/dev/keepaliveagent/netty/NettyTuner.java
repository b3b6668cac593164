package dev.keepaliveagent.netty;

import dev.keepaliveagent.boot.ChannelEvents;
import dev.keepaliveagent.boot.Switchboard;
import dev.keepaliveagent.config.KeepaliveOption;
import dev.keepaliveagent.config.Rules;
import dev.keepaliveagent.config.Settings;
import dev.keepaliveagent.diagnose.DeadPeerCause;
import dev.keepaliveagent.diagnose.DeadPeerReport;
import dev.keepaliveagent.diagnose.FailureClassifier;
import dev.keepaliveagent.diagnose.TcpState;
import dev.keepaliveagent.log.AgentLog;
import dev.keepaliveagent.observe.Telemetry;
import dev.keepaliveagent.tune.KernelReadBack;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gives the TCP connections of Netty's native transports (epoll, io_uring) the settings their
 * destination rule asks for, through Netty's own channel options, and reports their dead peers.
 * Keepalive values the app set itself through Netty stand where they are stricter. None of its
 * methods throws.
 */
public final class NettyTuner implements ChannelEvents {

    private final Rules rules;
    private final Telemetry telemetry;
    private final Map<Object, TunedChannel> channels = Collections.synchronizedMap(new WeakHashMap<>());
    private final Set<String> transportsSeen = ConcurrentHashMap.newKeySet();
    private final KernelReadBack readBack;
    private final ClassValue<ChannelAccess> access = new ClassValue<ChannelAccess>() {
        @Override
        protected ChannelAccess computeValue(Class<?> type) {
            try {
                return ChannelAccess.of(type);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                Switchboard.suppressed("reading the API of the Netty channel " + type.getName()
                        + " (its connections keep Netty's settings; say which Netty version)", e);
                return null;
            }
        }
    };

    /** Creates the tuner and lets the switchboard call it from now on. */
    public static NettyTuner startListening(Rules rules, Telemetry telemetry) {
        NettyTuner tuner = new NettyTuner(rules, telemetry);
        if (!Switchboard.install(tuner)) {
            throw new IllegalStateException("the switchboard has a Netty channel listener already, not the agent's");
        }
        return tuner;
    }

    NettyTuner(Rules rules, Telemetry telemetry) {
        this.rules = rules;
        this.telemetry = telemetry;
        this.readBack = new KernelReadBack(telemetry);
    }

    /** The native transports whose connections the agent has configured so far, e.g. [epoll]. */
    public Set<String> transportsSeen() {
        return Collections.unmodifiableSet(new HashSet<>(transportsSeen));
    }

    /** The kinds whose first connection the kernel showed configured as set. */
    Set<String> verifiedKinds() {
        return readBack.verifiedKinds();
    }

    @Override
    public void connected(Object channel, Object remote) {
        try {
            ChannelAccess netty = access.get(channel.getClass());
            if (netty == null || !(remote instanceof InetSocketAddress)) {
                return; // Unix-domain sockets are left alone
            }
            InetSocketAddress peer = (InetSocketAddress) remote;
            configure(channel, netty, peer, "netty " + netty.transport + " connect",
                    rules.settingsFor(peer.getAddress(), peer.getPort(), -1));
        } catch (Throwable t) {
            Switchboard.suppressed("configuring a Netty connection", t);
        }
    }

    @Override
    public void registered(Object channel) {
        try {
            ChannelAccess netty = access.get(channel.getClass());
            if (netty == null) {
                return;
            }
            Object parent = netty.parent(channel);
            if (parent == null) {
                return; // a client's channel registers before it connects: configured at connect
            }
            SocketAddress remote = netty.remoteAddress(channel);
            if (!(remote instanceof InetSocketAddress)) {
                return; // Unix-domain sockets are left alone
            }
            InetSocketAddress peer = (InetSocketAddress) remote;
            SocketAddress listening = netty.localAddress(parent);
            int listenPort = listening instanceof InetSocketAddress ? ((InetSocketAddress) listening).getPort() : -1;
            configure(channel, netty, peer, "netty " + netty.transport + " accept",
                    rules.settingsFor(peer.getAddress(), -1, listenPort));
        } catch (Throwable t) {
            Switchboard.suppressed("configuring an accepted Netty connection", t);
        }
    }

    @Override
    public void ioFailed(Object channel, Throwable failure) {
        try {
            TunedChannel tuned = channels.get(channel);
            if (tuned == null) {
                return;
            }
            ChannelAccess netty = access.get(channel.getClass());
            TcpState kernel = netty == null ? null : netty.tcpState(channel);
            DeadPeerCause cause = FailureClassifier.classify(failure, kernel, tuned.applied.isSet(KeepaliveOption.UTIMEOUT));
            if (cause == null || !tuned.markDead()) {
                return;
            }
            InetSocketAddress local = netty == null ? null : asInet(netty.localAddress(channel));
            long lived = System.nanoTime() - tuned.configuredAtNanos;
            DeadPeerReport report = new DeadPeerReport(tuned.remote, local, tuned.how, cause, lived, tuned.applied, failure);
            telemetry.deadPeer(report);
            AgentLog.warn(report.line(), report.fields());
        } catch (Throwable t) {
            Switchboard.suppressed("diagnosing a failed Netty connection", t);
        }
    }

    @Override
    public void readFailedIn(Object pipeline, Throwable failure) {
        try {
            if (failure == null || !failure.getClass().getName().endsWith(".channel.unix.Errors$NativeIoException")) {
                return; // thrown by one of the app's handlers, not by the kernel
            }
            ioFailed(pipeline.getClass().getMethod("channel").invoke(pipeline), failure);
        } catch (Throwable t) {
            Switchboard.suppressed("diagnosing a failed Netty connection", t);
        }
    }

    @Override
    public void closing(Object channel) {
        try {
            channels.remove(channel);
        } catch (Throwable t) {
            Switchboard.suppressed("forgetting a closed Netty channel", t);
        }
    }

    /** {@code limit} null: a rule says off, and the channel is left exactly as the app made it. */
    private void configure(Object channel, ChannelAccess netty, InetSocketAddress remote, String how,
                           Settings limit) throws ReflectiveOperationException {
        if (limit == null) {
            return;
        }
        Settings applied = withAppChoices(channel, netty, limit);
        channels.put(channel, new TunedChannel(remote, how, applied, System.nanoTime()));
        boolean complete = true;
        // The keepalive timer is armed once SO_KEEPALIVE goes on, so the values go first.
        for (KeepaliveOption option : KeepaliveOption.all()) {
            if (applied.isSet(option)) {
                complete &= set(channel, netty, netty.option(option), option.javaName(), applied.get(option), how, remote);
            }
        }
        complete &= set(channel, netty, netty.keepalive, "SO_KEEPALIVE", Boolean.TRUE, how, remote);
        if (complete) {
            telemetry.configured(how, remote, applied);
            if (readBack.firstOf(how)) {
                readBack.check(how, remote, applied, option -> netty.option(option) != null, kernelOf(channel, netty));
            }
            if (transportsSeen.add(netty.transport)) {
                String nettyPackage = channel.getClass().getName().substring(0, channel.getClass().getName().lastIndexOf('.'));
                AgentLog.info("Netty's native " + netty.transport + " transport (" + nettyPackage + ") is in use:"
                        + " its connections get keepalive through Netty's channel options"
                        + (readBack.verifiedKinds().contains(how) ? " (the first, read back from the kernel, has it)" : ""));
            }
        }
        if (AgentLog.isDebugEnabled()) {
            AgentLog.debug("configured the connection with " + DeadPeerReport.address(remote) + " (" + how + "): " + applied);
        }
    }

    /**
     * {@code limit}, with the values the app set through Netty where stricter. They count only if
     * the app turned keepalive on: otherwise they are the kernel's defaults, nobody's choice.
     */
    private static Settings withAppChoices(Object channel, ChannelAccess netty, Settings limit) {
        try {
            if (!Boolean.TRUE.equals(netty.get(channel, netty.keepalive))) {
                return limit;
            }
            // An option the agent leaves alone (0) stays alone: nothing is stricter than 0 there.
            return limit.withStricter(option -> netty.option(option) == null ? 0 : intOf(getQuietly(channel, netty, option)));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return limit;
        }
    }

    private static Object getQuietly(Object channel, ChannelAccess netty, KeepaliveOption option) {
        try {
            return netty.get(channel, netty.option(option));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The channel's options as Netty reads them from its socket ({@code getsockopt}, in Netty's native code). */
    private static KernelReadBack.Kernel kernelOf(Object channel, ChannelAccess netty) {
        return new KernelReadBack.Kernel() {
            @Override
            public boolean keepaliveOn() throws IOException {
                return Boolean.TRUE.equals(read(netty.keepalive, "SO_KEEPALIVE"));
            }

            @Override
            public int get(KeepaliveOption option) throws IOException {
                return intOf(read(netty.option(option), option.kernelName()));
            }

            private Object read(Object nettyOption, String name) throws IOException {
                try {
                    return netty.get(channel, nettyOption);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new IOException("reading " + name + " through Netty", e);
                }
            }
        };
    }

    private static int intOf(Object value) {
        return value instanceof Integer ? (Integer) value : 0;
    }

    /** Sets one option; a refusal is logged once per cause, not per channel. */
    private boolean set(Object channel, ChannelAccess netty, Object option, String name, Object value, String how,
                        InetSocketAddress remote) {
        Throwable why;
        try {
            if (option != null && netty.set(channel, option, value)) {
                return true;
            }
            why = new UnsupportedOperationException(option == null ? "Netty (this version at least) has no channel option for it"
                    : channel.getClass().getName() + " does not support it");
        } catch (java.lang.reflect.InvocationTargetException e) {
            why = e.getCause();
        } catch (ReflectiveOperationException | RuntimeException e) {
            why = e;
        }
        if (!netty.isOpen(channel)) {
            return false; // closed meanwhile: nothing left to configure
        }
        telemetry.notConfigured(how, remote, name, why);
        AgentLog.warnOnce("netty refused " + name + " " + why.getClass().getName() + " " + why.getMessage(),
                "Netty (" + netty.transport + ") refused " + name + "=" + value + " on the connection with "
                + DeadPeerReport.address(remote) + ": " + why + "; its connections keep the kernel's value for it");
        return false;
    }

    private static InetSocketAddress asInet(SocketAddress address) {
        return address instanceof InetSocketAddress ? (InetSocketAddress) address : null;
    }

}
