package dev.keepaliveagent.rescue;

import dev.keepaliveagent.boot.SocketEvents;
import dev.keepaliveagent.config.Rules;
import dev.keepaliveagent.config.Settings;
import dev.keepaliveagent.jdk.OptionAvailability;
import dev.keepaliveagent.jdk.OptionSetter;
import dev.keepaliveagent.lifecycle.Connection;
import dev.keepaliveagent.lifecycle.Lifecycle;
import dev.keepaliveagent.observe.Telemetry;
import dev.keepaliveagent.tune.JdkEndpoints;
import dev.keepaliveagent.tune.SocketRegistry;
import dev.keepaliveagent.tune.SocketTuner;
import java.io.FileDescriptor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.util.Set;

/**
 * A {@link SocketTuner} and the {@link Rescue} beside it on one registry and one lifecycle, wired as the
 * agent's start-up wires them, over a kernel the test plays: the hooks' events, and what the start-up
 * window does, as the tests drive them.
 */
public final class TunedSockets implements SocketEvents {

    private final Telemetry telemetry;
    private final Lifecycle lifecycle;
    private final SocketRegistry registry = new SocketRegistry();
    private final SocketTuner tuner;
    private final Rescue rescue;
    private final Rescue rescueAtAttach;

    public TunedSockets(Rules rules, Telemetry telemetry, OptionSetter kernel) {
        this.telemetry = telemetry;
        this.lifecycle = new Lifecycle(telemetry);
        JdkEndpoints endpoints = new JdkEndpoints(kernel, new OptionAvailability());
        this.tuner = new SocketTuner(rules, lifecycle, registry, endpoints);
        this.rescue = new Rescue(rules, lifecycle, registry, endpoints, telemetry, false);
        this.rescueAtAttach = new Rescue(rules, lifecycle, registry, endpoints, telemetry, true);
    }

    /** A hook's rare paths ask the start-up window's rescue about a descriptor the registry does not know. */
    TunedSockets adoptingFromTheWindow() {
        tuner.adoptFrom(rescue);
        return this;
    }

    UnseenConnections found() {
        return rescue.found();
    }

    public Connection registered(FileDescriptor fd) {
        return registry.get(fd);
    }

    Connection numbered(int number) {
        return rescue.numbered(number);
    }

    void windowOpened() {
        registry.windowOpened();
    }

    public void windowClosed() {
        rescue.windowClosed();
    }

    public String rescue(FileDescriptor fd, InetSocketAddress remote, String how, Settings limit, boolean atAttach) {
        return (atAttach ? rescueAtAttach : rescue).rescue(fd, remote, how, limit);
    }

    public Settings settingsFor(InetSocketAddress remote, int listenPort) {
        return rescue.settingsFor(remote, listenPort);
    }

    public long configuredConnections() {
        return telemetry.configuredTotal();
    }

    public Set<String> verifiedKinds() {
        return lifecycle.verifiedKinds();
    }

    @Override
    public void connected(FileDescriptor fd, InetAddress remote, int port) {
        tuner.connected(fd, remote, port);
    }

    @Override
    public void accepted(FileDescriptor fd, SocketAddress remote, Object listener) {
        tuner.accepted(fd, remote, listener);
    }

    @Override
    public void socketImplAccepted(Object socketImpl) {
        tuner.socketImplAccepted(socketImpl);
    }

    @Override
    public void ioFailed(FileDescriptor fd, Throwable failure) {
        tuner.ioFailed(fd, failure);
    }

    @Override
    public void socketImplIoFailed(Object socketImpl, Throwable failure) {
        tuner.socketImplIoFailed(socketImpl, failure);
    }

    @Override
    public void closing(FileDescriptor fd) {
        tuner.closing(fd);
    }

    @Override
    public Object optionSet(FileDescriptor fd, SocketOption<?> name, Object value) {
        return tuner.optionSet(fd, name, value);
    }

    @Override
    public void optionWasSet(FileDescriptor fd, SocketOption<?> name, Object value) {
        tuner.optionWasSet(fd, name, value);
    }
}
