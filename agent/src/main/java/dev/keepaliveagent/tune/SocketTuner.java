package dev.keepaliveagent.tune;

import dev.keepaliveagent.boot.SocketEvents;
import dev.keepaliveagent.boot.Switchboard;
import dev.keepaliveagent.config.KeepaliveOption;
import dev.keepaliveagent.config.Rules;
import dev.keepaliveagent.config.Settings;
import dev.keepaliveagent.diagnose.DeadPeerReport;
import dev.keepaliveagent.diagnose.FailureClassifier;
import dev.keepaliveagent.jdk.DescribedSocket;
import dev.keepaliveagent.jdk.FileDescriptors;
import dev.keepaliveagent.jdk.JdkSocketOptions;
import dev.keepaliveagent.jdk.JdkSockets;
import dev.keepaliveagent.jdk.OptionAvailability;
import dev.keepaliveagent.jdk.OptionSetter;
import dev.keepaliveagent.lifecycle.Connection;
import dev.keepaliveagent.lifecycle.Endpoint;
import dev.keepaliveagent.lifecycle.Lifecycle;
import dev.keepaliveagent.log.AgentLog;
import dev.keepaliveagent.observe.Telemetry;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.NetworkChannel;

/**
 * Gives every TCP connection the JVM opens or accepts the settings its destination rule asks for,
 * keeps the app from switching keepalive off or making it laxer afterwards, and reports dead peers.
 * The switchboard calls it from the JDK's hooks; none of its methods throws.
 */
public final class SocketTuner implements SocketEvents {

    private final Rules rules;
    private final OptionAvailability availability = new OptionAvailability();
    private final Lifecycle lifecycle;
    private final SocketRegistry registry = new SocketRegistry();
    private final Telemetry telemetry;
    /** The platform's seam: where tests make it refuse, or play the kernel. */
    private final OptionSetter kernel;
    private final RescueWatcher watcher;
    private volatile UnseenConnections unseen;

    /** Creates the tuner and lets the switchboard call it from now on. */
    public static SocketTuner startListening(Rules rules, Telemetry telemetry) {
        SocketTuner tuner = new SocketTuner(rules, telemetry, new JdkSockets());
        tuner.availability.checkAvailability(); // before a hook, or the window's pass, configures a socket
        tuner.windowOpened(); // before any hook can see a socket, until StartUpWindow is done
        if (!Switchboard.install(tuner)) {
            throw new IllegalStateException("the switchboard has a socket listener already, not the agent's");
        }
        return tuner;
    }

    SocketTuner(Rules rules, Telemetry telemetry, OptionSetter options) {
        this.rules = rules;
        this.lifecycle = new Lifecycle(telemetry);
        this.telemetry = telemetry;
        this.kernel = options;
        this.watcher = new RescueWatcher(registry, lifecycle);
    }

    /**
     * The options that cannot be set here (TCP_USER_TIMEOUT but on Linux: on another OS its number may mean
     * something else), each with why, as checked once when the tuner started listening; the tuner sets the
     * others alone.
     */
    public java.util.Map<KeepaliveOption, String> unavailableOptions() {
        return availability.unavailable();
    }

    /** The kinds of connection whose first one the kernel showed configured as set. */
    public java.util.Set<String> verifiedKinds() {
        return lifecycle.verifiedKinds();
    }

    /** The names the app's open connections were made with, by peer address, at most {@code max} (for doctor). */
    public java.util.Map<String, String> hostNames(int max) {
        return registry.hostNames(max);
    }

    public long configuredConnections() {
        return telemetry.configuredTotal();
    }

    @Override
    public void connected(FileDescriptor fd, InetAddress remote, int port) {
        try {
            configure(fd, new InetSocketAddress(remote, port), "connect", rules.settingsFor(remote, port, -1), true);
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
                    : acceptedSettings(peer, listenPortOf(listener, fd)), true);
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
            configure(fd, peer, "accept", acceptedSettings(peer, JdkSockets.localPortOf(socketImpl)), true);
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
                kernel.switchKeepaliveOn(fd);
            } else if (enforced != value) {
                kernel.set(fd, JdkSocketOptions.declarationOf(option), (Integer) enforced);
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
     * Configures a connection opened out of the hooks' sight (before an attach, or while the agent
     * started up); returns what was done. Values the app set itself, with keepalive on, stand where
     * they are stricter, as they would at a hooked connect.
     */
    String rescue(FileDescriptor fd, InetSocketAddress remote, String how, Settings limit, boolean atAttach) {
        if (limit == null) {
            registry.getOrCreate(fd).leaveAlone();
            return "left alone (a rule says off)";
        }
        Connection socket = registry.getOrCreate(fd);
        if (socket.isClaimed()) {
            return "configured by a hook at the same moment";
        }
        lifecycle.recordKernelChoices(endpoint(fd), socket);
        configure(fd, remote, how, limit, false);
        if (atAttach) {
            telemetry.rescued(); // RescuedConnections: open before an attach; those of the start-up window are not
        }
        return "configured with " + socket.applied();
    }

    /** The rule for a connection made to {@code remote}, or (listenPort above 0) accepted on that port. */
    Settings settingsFor(InetSocketAddress remote, int listenPort) {
        return listenPort > 0 ? rules.settingsFor(remote == null ? null : remote.getAddress(), -1, listenPort)
                : rules.settingsFor(remote.getAddress(), remote.getPort(), -1);
    }

    /** From now on, a descriptor the registry does not know is looked up in {@code connections}. */
    void adoptFrom(UnseenConnections connections) {
        this.unseen = connections;
    }

    /**
     * The socket behind the app's {@code fd}: the registry's, or one the start-up window found under
     * its number (a map's look-up; a system call when found, to be sure the number was not reused).
     */
    private Connection known(FileDescriptor fd) throws Throwable {
        Connection socket = registry.get(fd);
        UnseenConnections found = unseen;
        if (socket != null || found == null || !found.mayKnow()) {
            return socket; // after the window, with everything it found claimed or closed: a map look-up, no more
        }
        Rescued connection = found.claim(FileDescriptors.numberOf(fd));
        Connection adopted = connection == null ? null : registry.get(connection.descriptor);
        if (adopted != null) {
            registry.put(fd, adopted);
        }
        return adopted;
    }

    /**
     * What the agent knows of {@code fd}, or, while the start-up window is open, a connection no hook
     * saw (a connect begun before the hooks were live, which the window's next look would find), as the
     * kernel tells it now: on the rare paths (an option change, a failure), never on a read or write
     * that succeeds. Once the window has closed, every socket the JDK opens passes a hook.
     */
    private Connection knownOrAdopted(FileDescriptor fd) throws Throwable {
        Connection socket = known(fd);
        return socket != null ? socket : adoptAlive(fd);
    }

    /**
     * An established TCP connection no hook saw, told by its descriptor and configured as any other;
     * null for anything else, at the cost of a few system calls. Tried only while the window is open.
     */
    private Connection adoptAlive(FileDescriptor fd) throws Throwable {
        UnseenConnections found = unseen;
        if (found == null || !found.isWindowOpen()) {
            return null;
        }
        DescribedSocket connection = DescribedSocket.of(fd);
        if (connection == null || !connection.kernel.established()) {
            return null;
        }
        int listenPort = found.listenPortOf(connection.local.getPort());
        rescue(fd, connection.remote, found.kind(listenPort > 0), settingsFor(connection.remote, listenPort), found.attached());
        return registry.get(fd);
    }

    /** What the agent knows of the socket behind this very descriptor object. */
    Connection registered(FileDescriptor fd) {
        return registry.get(fd);
    }

    /**
     * Gives a listening socket the values its port's rule asks for: Linux copies them to each
     * connection it accepts, including one an accept that started before the hooks were live returns.
     */
    void configureListener(FileDescriptor fd, Settings settings) {
        lifecycle.apply(endpoint(fd), settings, "listen", null);
    }

    /**
     * While the start-up window is open: the entry of the socket with descriptor {@code number}, made by
     * a hook or by the window, or null. A socket the window then configures keeps that entry.
     */
    Connection numbered(int number) {
        return registry.numbered(number);
    }

    /** Until {@link #windowClosed}, sockets are known by descriptor number too, for the start-up window. */
    void windowOpened() {
        registry.windowOpened();
    }

    /**
     * The start-up window has made its last look: sockets are known by their descriptor objects alone,
     * and nothing is adopted any more (what the window found stays known by number until closed).
     */
    public void windowClosed() {
        registry.windowClosed();
        UnseenConnections found = unseen;
        if (found != null) {
            found.windowClosed();
        }
    }

    /**
     * Watches a rescued connection from a thread of the agent's own: a thread blocked in it since
     * before the hooks were live runs code the agent never wove, so the kernel is asked instead.
     */
    void watch(Rescued rescued) {
        watcher.watch(rescued);
    }

    @Override
    public void closing(FileDescriptor fd) {
        try {
            registry.remove(fd);
            UnseenConnections found = unseen;
            if (found != null && (found.mayKnow() || watcher.isWatching())) {
                // The app's own descriptor object: a connection found by number is matched by its number.
                int number = FileDescriptors.numberOf(fd);
                watcher.closing(number);
                Rescued forgotten = found.forget(number);
                if (forgotten != null) {
                    registry.remove(forgotten.descriptor);
                }
            }
        } catch (Throwable t) {
            Switchboard.suppressed("forgetting a closed socket", t);
        }
    }

    /**
     * {@code limit} null: a rule says off, and the socket is left exactly as the app made it. {@code
     * hooked}: a hook saw the connection made, through the app's own descriptor, which the JDK
     * invalidates at the close; the first of each kind is read back, since the hooks' paths are what
     * a JDK with other internals could break. A connection rescued (found by the start-up window, or
     * adopted) is not: a descriptor the window made from a number may name another socket by then (the
     * app closed it, and a hook is configuring the socket that got the number), whose half-set options
     * would read as a JDK that drops the agent's calls.
     */
    private void configure(FileDescriptor fd, InetSocketAddress remote, String how, Settings limit, boolean hooked) {
        if (limit == null) {
            registry.getOrCreate(fd).leaveAlone(); // known, so that no later hook takes it for one it never saw
            if (AgentLog.isDebugEnabled()) {
                AgentLog.debug("left the connection with " + DeadPeerReport.peer(remote) + " (" + how + ") alone: a rule says off");
            }
            return;
        }
        Connection socket = registry.getOrCreate(fd);
        if (socket.claim()) { // else the start-up window and a hook met this socket at once: the other one configures it
            lifecycle.configure(endpoint(fd), socket, remote, how, limit, hooked);
        }
    }

    private Endpoint endpoint(FileDescriptor fd) {
        return new JdkEndpoint(fd, kernel, availability);
    }
}
