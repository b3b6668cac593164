package dev.keepaliveagent.netty;

import dev.keepaliveagent.boot.ChannelEvents;
import dev.keepaliveagent.boot.Switchboard;
import dev.keepaliveagent.config.KeepaliveOption;
import dev.keepaliveagent.config.Rules;
import dev.keepaliveagent.config.Settings;
import dev.keepaliveagent.lifecycle.Connection;
import dev.keepaliveagent.lifecycle.Endpoint;
import dev.keepaliveagent.lifecycle.Lifecycle;
import dev.keepaliveagent.log.AgentLog;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hooks of Netty's native transports (epoll, io_uring), adapted onto the {@link Lifecycle}: a channel
 * is reached through Netty's own channel options ({@link NettyEndpoint}); keepalive values the app set
 * through Netty before the agent configured the channel stand where they are stricter, and its later
 * calls on the channel's config may not make them laxer or switch keepalive off. None of its methods throws.
 */
public final class NettyTuner implements ChannelEvents {

    private final Rules rules;
    private final Lifecycle lifecycle;
    private final Map<Object, Connection> channels = Collections.synchronizedMap(new WeakHashMap<>());
    /** The same connections by their channel's config, where the app's later calls arrive. */
    private final Map<Object, Connection> configs = Collections.synchronizedMap(new WeakHashMap<>());
    private final Set<String> transportsSeen = ConcurrentHashMap.newKeySet();
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
    public static NettyTuner startListening(Rules rules, Lifecycle lifecycle) {
        NettyTuner tuner = new NettyTuner(rules, lifecycle);
        if (!Switchboard.install(tuner)) {
            throw new IllegalStateException("the switchboard has a Netty channel listener already, not the agent's");
        }
        return tuner;
    }

    NettyTuner(Rules rules, Lifecycle lifecycle) {
        this.rules = rules;
        this.lifecycle = lifecycle;
    }

    /** The native transports whose connections the agent has configured so far, e.g. [epoll]. */
    public Set<String> transportsSeen() {
        return Collections.unmodifiableSet(new HashSet<>(transportsSeen));
    }

    /** The kinds whose first connection the kernel showed configured as set. */
    Set<String> verifiedKinds() {
        return lifecycle.verifiedKinds();
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
            Connection connection = channels.get(channel);
            ChannelAccess netty = connection == null ? null : access.get(channel.getClass());
            if (netty != null) {
                lifecycle.failed(new NettyEndpoint(channel, netty), connection, failure);
            }
        } catch (Throwable t) {
            Switchboard.suppressed("diagnosing a failed Netty connection", t);
        }
    }

    /**
     * The app sets one of Netty's keepalive values ({@code option}, as Netty names it) on a channel's
     * config: on a channel the agent configured, not laxer than its limit. Before that, it is the app's
     * choice, read from the channel when the agent configures it.
     */
    @Override
    public int intOptionSet(Object config, String option, int value) {
        try {
            Connection connection = configs.get(config);
            if (connection == null || !connection.isConfigured()) {
                return value;
            }
            return (Integer) lifecycle.enforce(connection, nettyOption(option), option, value);
        } catch (Throwable t) {
            Switchboard.suppressed("checking a Netty option the app set", t);
            return value;
        }
    }

    /** The app switches keepalive on or off on a channel's config: on a channel the agent configured, it stays on. */
    @Override
    public boolean keepaliveSet(Object config, boolean on) {
        try {
            Connection connection = configs.get(config);
            if (on || connection == null || !connection.isConfigured()) {
                return on;
            }
            return (Boolean) lifecycle.enforce(connection, null, "SO_KEEPALIVE", Boolean.FALSE);
        } catch (Throwable t) {
            Switchboard.suppressed("checking a Netty option the app set", t);
            return on;
        }
    }

    private static KeepaliveOption nettyOption(String name) {
        for (KeepaliveOption option : KeepaliveOption.all()) {
            if (name.equals(option.nettyField())) {
                return option;
            }
        }
        throw new IllegalArgumentException("no keepalive option is named " + name + " in Netty");
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
            if (channels.remove(channel) != null) {
                ChannelAccess netty = access.get(channel.getClass());
                if (netty != null) {
                    configs.remove(netty.config(channel));
                }
            }
        } catch (Throwable t) {
            Switchboard.suppressed("forgetting a closed Netty channel", t);
        }
    }

    /**
     * {@code limit} null: a rule says off, and the channel is left exactly as the app made it. Values the
     * app set through Netty stand where stricter; they count only if the app turned keepalive on: otherwise
     * they are the kernel's defaults, nobody's choice.
     */
    private void configure(Object channel, ChannelAccess netty, InetSocketAddress remote, String how,
                           Settings limit) throws ReflectiveOperationException {
        if (limit == null) {
            return;
        }
        Endpoint endpoint = new NettyEndpoint(channel, netty);
        Connection connection = new Connection();
        lifecycle.recordKernelChoices(endpoint, connection);
        channels.put(channel, connection);
        configs.put(netty.config(channel), connection);
        if (lifecycle.configure(endpoint, connection, remote, how, limit, true) && transportsSeen.add(netty.transport)) {
            String nettyPackage = channel.getClass().getName().substring(0, channel.getClass().getName().lastIndexOf('.'));
            AgentLog.info("Netty's native " + netty.transport + " transport (" + nettyPackage + ") is in use:"
                    + " its connections get keepalive through Netty's channel options"
                    + (lifecycle.verifiedKinds().contains(how) ? " (the first, read back from the kernel, has it)" : ""));
        }
    }
}
