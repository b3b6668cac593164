package dev.keepaliveagent.rescue;

import dev.keepaliveagent.config.Rules;
import dev.keepaliveagent.config.Settings;
import dev.keepaliveagent.jdk.DescribedSocket;
import dev.keepaliveagent.jdk.FileDescriptors;
import dev.keepaliveagent.lifecycle.Connection;
import dev.keepaliveagent.lifecycle.Endpoint;
import dev.keepaliveagent.lifecycle.Lifecycle;
import dev.keepaliveagent.observe.Telemetry;
import dev.keepaliveagent.tune.JdkEndpoints;
import dev.keepaliveagent.tune.SocketRegistry;
import dev.keepaliveagent.tune.UnseenSockets;
import java.io.FileDescriptor;
import java.net.InetSocketAddress;

/**
 * The TCP connections no hook saw being made (opened before an attach, or while the agent started up):
 * configured through the lifecycle as any other, in the one registry the hooks use, so that a socket
 * is configured once whoever meets it first; handed to a hook when the app's own descriptor shows up;
 * watched from a thread of the agent's own meanwhile ({@link RescueWatcher}).
 */
public final class Rescue implements UnseenSockets {

    private final Rules rules;
    private final Lifecycle lifecycle;
    private final SocketRegistry registry;
    private final JdkEndpoints endpoints;
    private final Telemetry telemetry;
    private final UnseenConnections found;
    private final RescueWatcher watcher;

    /** {@code attached}: after an attach, what is found was open before it, and is counted as rescued. */
    public Rescue(Rules rules, Lifecycle lifecycle, SocketRegistry registry, JdkEndpoints endpoints, Telemetry telemetry,
                  boolean attached) {
        this.rules = rules;
        this.lifecycle = lifecycle;
        this.registry = registry;
        this.endpoints = endpoints;
        this.telemetry = telemetry;
        this.found = new UnseenConnections(attached);
        this.watcher = new RescueWatcher(registry, lifecycle);
    }

    UnseenConnections found() {
        return found;
    }

    /**
     * Configures a connection opened out of the hooks' sight; returns what was done. Values the app set
     * itself, with keepalive on, stand where they are stricter, as they would at a hooked connect. Its
     * first of a kind is not read back: a descriptor the window made from a number may name another socket
     * by then (the app closed it, and a hook is configuring the socket that got the number), whose half-set
     * options would read as a JDK that drops the agent's calls.
     */
    String rescue(FileDescriptor fd, InetSocketAddress remote, String how, Settings limit) {
        Connection socket = registry.getOrCreate(fd);
        if (limit == null) {
            socket.leaveAlone();
            return "left alone (a rule says off)";
        }
        if (socket.isClaimed()) {
            return "configured by a hook at the same moment";
        }
        Endpoint endpoint = endpoints.of(fd);
        lifecycle.recordKernelChoices(endpoint, socket);
        if (socket.claim()) {
            lifecycle.configure(endpoint, socket, remote, how, limit, false);
        }
        if (found.attached()) {
            telemetry.rescued(); // RescuedConnections: open before an attach; those of the start-up window are not
        }
        return "configured with " + socket.applied();
    }

    /** The rule for a connection made to {@code remote}, or (listenPort above 0) accepted on that port. */
    Settings settingsFor(InetSocketAddress remote, int listenPort) {
        return listenPort > 0 ? rules.settingsFor(remote == null ? null : remote.getAddress(), -1, listenPort)
                : rules.settingsFor(remote.getAddress(), remote.getPort(), -1);
    }

    /**
     * Gives a listening socket the values its port's rule asks for: Linux copies them to each
     * connection it accepts, including one an accept that started before the hooks were live returns.
     */
    void configureListener(FileDescriptor fd, Settings settings) {
        lifecycle.apply(endpoints.of(fd), settings, "listen", null);
    }

    /**
     * While the start-up window is open: the entry of the socket with descriptor {@code number}, made by
     * a hook or by the window, or null. A socket the window then configures keeps that entry.
     */
    Connection numbered(int number) {
        return registry.numbered(number);
    }

    /**
     * Watches a rescued connection from a thread of the agent's own: a thread blocked in it since
     * before the hooks were live runs code the agent never wove, so the kernel is asked instead.
     */
    void watch(Rescued rescued) {
        watcher.watch(rescued);
    }

    /**
     * The start-up window has made its last look: sockets are known by their descriptor objects alone,
     * and nothing is adopted any more (what the window found stays known by number until closed).
     */
    public void windowClosed() {
        registry.windowClosed();
        found.windowClosed();
    }

    /**
     * The socket behind the app's {@code fd}: one the start-up window found under its number (a map's
     * look-up; a system call when found, to be sure the number was not reused), or, while the window is
     * open, a connection no hook saw (a connect begun before the hooks were live, which the window's next
     * look would find), as the kernel tells it now. Once the window has closed, every socket the JDK opens
     * passes a hook.
     */
    @Override
    public Connection adopt(FileDescriptor fd) throws Throwable {
        if (!found.mayKnow()) {
            return null; // after the window, with everything it found claimed or closed: a map look-up, no more
        }
        Rescued connection = found.claim(FileDescriptors.numberOf(fd));
        Connection adopted = connection == null ? null : registry.get(connection.descriptor);
        if (adopted != null) {
            registry.put(fd, adopted);
            return adopted;
        }
        return adoptAlive(fd);
    }

    /**
     * An established TCP connection no hook saw, told by its descriptor and configured as any other;
     * null for anything else, at the cost of a few system calls. Tried only while the window is open.
     */
    private Connection adoptAlive(FileDescriptor fd) throws Throwable {
        if (!found.isWindowOpen()) {
            return null;
        }
        DescribedSocket connection = DescribedSocket.of(fd);
        if (connection == null || !connection.kernel.established()) {
            return null;
        }
        int listenPort = found.listenPortOf(connection.local.getPort());
        rescue(fd, connection.remote, found.kind(listenPort > 0), settingsFor(connection.remote, listenPort));
        return registry.get(fd);
    }

    @Override
    public void closing(FileDescriptor fd) throws Throwable {
        if (found.mayKnow() || watcher.isWatching()) {
            // The app's own descriptor object: a connection found by number is matched by its number.
            int number = FileDescriptors.numberOf(fd);
            watcher.closing(number);
            Rescued forgotten = found.forget(number);
            if (forgotten != null) {
                registry.remove(forgotten.descriptor);
            }
        }
    }
}
