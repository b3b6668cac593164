package dev.keepaliveagent.boot;

import java.io.FileDescriptor;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.SocketOption;

/**
 * The only code that the hooks woven into JDK classes (and Netty's) call, and the agent's way to its
 * listeners and counts.
 *
 * <p>Loaded by the bootstrap class loader: the agent injects it there by name, with
 * {@link SocketEvents}, before anything refers to it, so that {@code java.base} classes can link
 * against it. It therefore uses JDK types only, never Byte Buddy, tinylog or any other agent
 * class. It holds nothing: the bootstrap loader's unnamed module is open to anyone's reflection, so
 * the listeners and counts are in {@link SwitchboardState}, which the agent puts inside
 * {@code java.base}, and every method here forwards to it. Until the agent installs its listener every
 * hook does nothing; every hook swallows and counts whatever the listener throws, so nothing reaches the
 * application. One count of swallowed errors per JVM, in the one copy of that class, so that it
 * survives a second load of the agent.
 */
public final class Switchboard {

    private Switchboard() {
    }

    /** False, counted and logged, if a listener was installed before: only the agent's start-up installs one. */
    public static boolean install(SocketEvents listener) {
        return SwitchboardState.install(listener);
    }

    public static boolean install(ChannelEvents listener) {
        return SwitchboardState.install(listener);
    }

    public static boolean installErrorLog(java.util.function.BiConsumer<String, Throwable> log) {
        return SwitchboardState.installErrorLog(log);
    }

    public static boolean installMBeanServerListener(java.util.function.Consumer<Object> listener) {
        return SwitchboardState.installMBeanServerListener(listener);
    }

    /** How many installs were refused: a second agent's, or code of the app's that tried to take the agent's place. */
    public static long refusedInstalls() {
        return SwitchboardState.refusedInstalls();
    }

    public static void platformMBeanServer(Object server) {
        SwitchboardState.platformMBeanServer(server);
    }

    /** Whether an agent instance already listens (loaded at start-up, or by an earlier attach). */
    public static boolean isInstalled() {
        return SwitchboardState.isInstalled();
    }

    /** The agent's start-up has ended: its hooks are live and what was opened meanwhile is configured. */
    public static void startUpEnded() {
        SwitchboardState.startUpEnded();
    }

    /** Whether the agent's start-up, which runs off the app's path, has ended (for tests and tools). */
    public static boolean hasStartedUp() {
        return SwitchboardState.hasStartedUp();
    }

    public static void connected(FileDescriptor fd, InetAddress remote, int port) {
        SwitchboardState.connected(fd, remote, port);
    }

    public static void accepted(FileDescriptor fd, SocketAddress remote, Object server) {
        SwitchboardState.accepted(fd, remote, server);
    }

    public static void socketImplIoFailed(Object socketImpl, Throwable failure) {
        SwitchboardState.socketImplIoFailed(socketImpl, failure);
    }

    public static void socketImplAccepted(Object socketImpl) {
        SwitchboardState.socketImplAccepted(socketImpl);
    }

    public static void ioFailed(FileDescriptor fd, Throwable failure) {
        SwitchboardState.ioFailed(fd, failure);
    }

    public static void closing(FileDescriptor fd) {
        SwitchboardState.closing(fd);
    }

    /**
     * {@code java.net.SocketImpl}'s own form of {@link #optionSet} (JDK 8 to 12), with the option's
     * number of {@code java.net.SocketOptions}: only SO_KEEPALIVE (8) concerns the agent.
     */
    public static Object intOptionSet(FileDescriptor fd, int option, Object value) {
        return SwitchboardState.intOptionSet(fd, option, value);
    }

    /** {@link #optionWasSet} in {@link #intOptionSet}'s form. */
    public static void intOptionWasSet(FileDescriptor fd, int option, Object value) {
        if (option == 0x0008) {
            SwitchboardState.optionWasSet(fd, java.net.StandardSocketOptions.SO_KEEPALIVE, value);
        }
    }

    public static Object optionSet(FileDescriptor fd, SocketOption<?> name, Object value) {
        return SwitchboardState.optionSet(fd, name, value);
    }

    public static void optionWasSet(FileDescriptor fd, SocketOption<?> name, Object value) {
        SwitchboardState.optionWasSet(fd, name, value);
    }

    public static void channelConnected(Object channel, Object remote) {
        SwitchboardState.channelConnected(channel, remote);
    }

    public static void channelRegistered(Object channel) {
        SwitchboardState.channelRegistered(channel);
    }

    public static void channelIoFailed(Object channel, Throwable failure) {
        SwitchboardState.channelIoFailed(channel, failure);
    }

    public static void channelPipelineReadFailed(Object pipeline, Throwable failure) {
        SwitchboardState.channelPipelineReadFailed(pipeline, failure);
    }

    public static int channelIntOptionSet(Object config, String option, int value) {
        return SwitchboardState.channelIntOptionSet(config, option, value);
    }

    public static boolean channelKeepaliveSet(Object config, boolean on) {
        return SwitchboardState.channelKeepaliveSet(config, on);
    }

    public static void channelClosing(Object channel) {
        SwitchboardState.channelClosing(channel);
    }

    /** How many errors the agent swallowed, here and in its own code; a healthy agent keeps this at zero. */
    public static long suppressedErrors() {
        return SwitchboardState.suppressedErrors();
    }

    public static String lastSuppressedError() {
        return SwitchboardState.lastSuppressedError();
    }

    /**
     * Counts an error the agent swallowed so that the app never sees it, and has the agent's log
     * write it if it is the first of its kind. {@code doing}: what the agent was doing, e.g.
     * "configuring a connection".
     */
    public static void suppressed(String doing, Throwable t) {
        SwitchboardState.suppressed(doing, t);
    }
}
