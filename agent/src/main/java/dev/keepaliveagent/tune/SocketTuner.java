package dev.keepaliveagent.tune;

import dev.keepaliveagent.boot.SocketEvents;
import dev.keepaliveagent.boot.Switchboard;
import dev.keepaliveagent.config.Rules;
import dev.keepaliveagent.config.Settings;
import dev.keepaliveagent.diagnose.DeadPeerReport;
import dev.keepaliveagent.diagnose.FailureClassifier;
import dev.keepaliveagent.jdk.JdkSocketOptions;
import dev.keepaliveagent.jdk.JdkSockets;
import dev.keepaliveagent.lifecycle.Connection;
import dev.keepaliveagent.lifecycle.Endpoint;
import dev.keepaliveagent.lifecycle.Lifecycle;
import dev.keepaliveagent.log.AgentLog;
import java.io.FileDescriptor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.NetworkChannel;

/**
 * The JDK's hooks, adapted onto the {@link Lifecycle}: each connection the JVM opens or accepts is found
 * in the registry by its {@code FileDescriptor} and reached through its {@link JdkEndpoint}; the app's
 * own option calls are recorded before it connects and enforced after; a failed read or write goes to
 * the lifecycle's diagnosis. A descriptor the registry does not know is asked about where connections
 * no hook saw are kept ({@link UnseenSockets}). The switchboard calls it; none of its methods throws.
 */
public final class SocketTuner implements SocketEvents {

    private final Rules rules;
    private final Lifecycle lifecycle;
    private final SocketRegistry registry;
    private final JdkEndpoints endpoints;
    private volatile UnseenSockets unseen;

    /**
     * Creates the tuner and lets the switchboard call it from now on; until the start-up window closes
     * ({@link SocketRegistry#windowClosed}), its sockets are known by descriptor number too.
     */
    public static SocketTuner startListening(Rules rules, Lifecycle lifecycle, SocketRegistry registry, JdkEndpoints endpoints) {
        SocketTuner tuner = new SocketTuner(rules, lifecycle, registry, endpoints);
        registry.windowOpened(); // before any hook can see a socket
        if (!Switchboard.install(tuner)) {
            throw new IllegalStateException("the switchboard has a socket listener already, not the agent's");
        }
        return tuner;
    }

    public SocketTuner(Rules rules, Lifecycle lifecycle, SocketRegistry registry, JdkEndpoints endpoints) {
        this.rules = rules;
        this.lifecycle = lifecycle;
        this.registry = registry;
        this.endpoints = endpoints;
    }

    /** From now on, a descriptor the registry does not know is asked about there. */
    public void adoptFrom(UnseenSockets sockets) {
        this.unseen = sockets;
    }

    @Override
    public void connected(FileDescriptor fd, InetAddress remote, int port) {
        try {
            configure(fd, new InetSocketAddress(remote, port), "connect", rules.settingsFor(remote, port, -1));
        } catch (Throwable t) {
            Switchboard.suppressed("configuring a connection", t);
        }
    }

    @Override
    public void accepted(FileDescriptor fd, SocketAddress remote, Object listener) {
        try {
            if (!(remote instanceof InetSocketAddress)) {
                return; // a Unix-domain socket: left alone, without a system call
            }
            InetSocketAddress peer = (InetSocketAddress) remote;
            configure(fd, peer, "accept", rules.isEmpty() ? rules.settingsFor(null, -1, -1)
                    : acceptedSettings(peer, listenPortOf(listener, fd)));
        } catch (Throwable t) {
            Switchboard.suppressed("configuring an accepted connection", t);
        }
    }

    @Override
    public void socketImplAccepted(Object socketImpl) {
        try {
            FileDescriptor fd = JdkSockets.fdOf(socketImpl);
            if (fd == null) {
                return; // a custom SocketImpl's: its connection is out of the JDK's sight, and the agent's
            }
            InetSocketAddress peer = JdkSockets.remoteOf(socketImpl);
            // An accepted socket's local port is its listening socket's
            configure(fd, peer, "accept", acceptedSettings(peer, JdkSockets.localPortOf(socketImpl)));
        } catch (Throwable t) {
            Switchboard.suppressed("configuring an accepted connection", t);
        }
    }

    /** The port {@code listener} listens on; without it at hand, the accepted connection's own local port, which is the same. */
    private static int listenPortOf(Object listener, FileDescriptor fd) throws Throwable {
        SocketAddress local = listener instanceof NetworkChannel ? ((NetworkChannel) listener).getLocalAddress()
                : JdkSockets.localAddress(fd);
        return local instanceof InetSocketAddress ? ((InetSocketAddress) local).getPort() : -1;
    }

    private Settings acceptedSettings(InetSocketAddress peer, int listenPort) {
        return rules.settingsFor(peer == null ? null : peer.getAddress(), -1, listenPort);
    }

    @Override
    public Object optionSet(FileDescriptor fd, SocketOption<?> option, Object value) {
        if (!mayLoosen(option, value)) {
            return value;
        }
        try {
            Connection socket = knownOrAdopted(fd);
            if (socket == null) {
                socket = registry.getOrCreate(fd); // not connected yet: the app's choice, until it connects
            }
            if (!socket.isConfigured()) {
                socket.appChoices().record(JdkSocketOptions.declarationOf(option), value);
                return value;
            }
            return lifecycle.enforce(socket, JdkSocketOptions.declarationOf(option), option.name(), value);
        } catch (Throwable t) {
            Switchboard.suppressed("checking an option the app set", t);
            return value;
        }
    }

    /** False for an option not the agent's, and for switching keepalive on, which always stands. */
    private static boolean mayLoosen(SocketOption<?> option, Object value) {
        return JdkSocketOptions.isAgentsOption(option) && !(option == JdkSocketOptions.KEEPALIVE && Boolean.TRUE.equals(value));
    }

    /**
     * {@link #optionSet} let the app's value through on a socket not configured yet; if a configure (the
     * start-up window's) came before the kernel took the value, the value would undo it: set again what
     * the configure allows. Costs a map look-up for the app's keepalive options only.
     */
    @Override
    public void optionWasSet(FileDescriptor fd, SocketOption<?> option, Object value) {
        if (!mayLoosen(option, value)) {
            return;
        }
        try {
            Connection socket = registry.get(fd);
            if (socket == null || !socket.isConfigured()) {
                return; // a configure to come reads the app's choices, recorded by optionSet
            }
            Object enforced = lifecycle.enforce(socket, JdkSocketOptions.declarationOf(option), option.name(), value);
            if (enforced != value && option == JdkSocketOptions.KEEPALIVE) {
                endpoint(fd).switchKeepaliveOn();
            } else if (enforced != value) {
                endpoint(fd).set(JdkSocketOptions.declarationOf(option), (Integer) enforced);
            }
        } catch (Throwable t) {
            Switchboard.suppressed("checking an option the app set", t);
        }
    }

    @Override
    public void ioFailed(FileDescriptor fd, Throwable failure) {
        try {
            lifecycle.failed(endpoint(fd), knownOrAdopted(fd), failure);
        } catch (Throwable t) {
            Switchboard.suppressed("diagnosing a failed connection", t);
        }
    }

    @Override
    public void socketImplIoFailed(Object socketImpl, Throwable failure) {
        try {
            FileDescriptor fd = JdkSockets.fdOf(socketImpl);
            if (fd == null || FailureClassifier.raisedAboveTheKernel(failure)) {
                return; // the app closed the socket; or a read timed out, which a Socket's streams raise here
            }
            lifecycle.failed(endpoint(fd), knownOrAdopted(fd), failure);
        } catch (Throwable t) {
            Switchboard.suppressed("diagnosing a failed connection", t);
        }
    }

    /**
     * What the agent knows of {@code fd}, or, if the registry does not know it, a connection no hook saw
     * (found by the start-up window, or adopted while it is open): on the rare paths only (an option
     * change, a failure), never on a read or write that succeeds.
     */
    private Connection knownOrAdopted(FileDescriptor fd) throws Throwable {
        Connection socket = registry.get(fd);
        UnseenSockets others = unseen;
        return socket != null || others == null ? socket : others.adopt(fd);
    }

    @Override
    public void closing(FileDescriptor fd) {
        try {
            registry.remove(fd);
            UnseenSockets others = unseen;
            if (others != null) {
                others.closing(fd);
            }
        } catch (Throwable t) {
            Switchboard.suppressed("forgetting a closed socket", t);
        }
    }

    /**
     * {@code limit} null: a rule says off, and the socket is left exactly as the app made it. A hook saw
     * the connection made, through the app's own descriptor, which the JDK invalidates at the close: the
     * first of each kind is read back, since the hooks' paths are what a JDK with other internals could break.
     */
    private void configure(FileDescriptor fd, InetSocketAddress remote, String how, Settings limit) {
        if (limit == null) {
            registry.getOrCreate(fd).leaveAlone(); // known, so that no later hook takes it for one it never saw
            if (AgentLog.isDebugEnabled()) {
                AgentLog.debug("left the connection with " + DeadPeerReport.peer(remote) + " (" + how + ") alone: a rule says off");
            }
            return;
        }
        Connection socket = registry.getOrCreate(fd);
        if (socket.claim()) { // else the start-up window and a hook met this socket at once: the other one configures it
            lifecycle.configure(endpoint(fd), socket, remote, how, limit, true);
        }
    }

    private Endpoint endpoint(FileDescriptor fd) {
        return endpoints.of(fd);
    }
}
