package dev.keepaliveagent.boot;

import java.io.FileDescriptor;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What {@link Switchboard} forwards to: the listeners, each installed once, the count of errors the
 * agent swallowed, and the hooks' work (every hook swallows and counts whatever a listener throws).
 *
 * <p>Its own name is never used at run time. The agent defines it in the bootstrap class loader as
 * {@code jdk.internal.vm.KeepaliveSwitchboardCore} ({@link #RUNTIME_NAME}; the bytes of its name are
 * swapped, hence the equal lengths), in a package of {@code java.base} that the app can neither read
 * nor reflect on (from JDK 9), exported to {@link Switchboard}'s module alone: so the listeners, which
 * lead to the agent's class loader, are out of the app's reach, and an install after the agent's is
 * refused and counted. Like {@link Switchboard} it uses JDK types only.
 */
public final class SwitchboardState {

    public static final String RUNTIME_NAME = "jdk.internal.vm.KeepaliveSwitchboardCore";

    private static volatile SocketEvents events;
    private static volatile ChannelEvents channels;
    private static volatile java.util.function.Consumer<Object> mbeanServers;
    private static volatile java.util.function.BiConsumer<String, Throwable> errorLog;

    private static final AtomicLong suppressedCount = new AtomicLong();
    /** Kept for an error whose log line never came out: one swallowed by a daemon thread while the JVM halts, or with log=off. */
    private static volatile String lastSuppressed = "";
    private static volatile boolean startedUp;

    private SwitchboardState() {
    }

    /** A lock of its own: the class itself is in reach of anyone's {@code Class.forName} and {@code synchronized}. */
    private static final Object INSTALLS = new Object();
    private static final AtomicLong refusedInstalls = new AtomicLong();

    /** False, counted and logged, if a listener was installed before: only the agent's start-up installs one. */
    public static boolean install(SocketEvents listener) {
        synchronized (INSTALLS) {
            if (events != null || listener == null) {
                return refuse("the socket listener", listener);
            }
            events = listener;
            return true;
        }
    }

    public static boolean install(ChannelEvents listener) {
        synchronized (INSTALLS) {
            if (channels != null || listener == null) {
                return refuse("the Netty channel listener", listener);
            }
            channels = listener;
            return true;
        }
    }

    public static boolean installErrorLog(java.util.function.BiConsumer<String, Throwable> log) {
        synchronized (INSTALLS) {
            if (errorLog != null || log == null) {
                return refuse("the error log", log);
            }
            errorLog = log;
            return true;
        }
    }

    public static boolean installMBeanServerListener(java.util.function.Consumer<Object> listener) {
        synchronized (INSTALLS) {
            if (mbeanServers != null || listener == null) {
                return refuse("the MBean server listener", listener);
            }
            mbeanServers = listener;
            return true;
        }
    }

    /** Counted apart from the errors the agent swallowed, and handed to its log as a {@link SecurityException}. */
    private static boolean refuse(String what, Object offered) {
        refusedInstalls.incrementAndGet();
        java.util.function.BiConsumer<String, Throwable> log = errorLog;
        if (log != null) {
            try {
                log.accept("installing " + what + " on the switchboard", new SecurityException("refused "
                        + (offered == null ? "null" : offered.getClass().getName()) + ": only the agent installs it, once"));
            } catch (Throwable ignored) {
                // counted above
            }
        }
        return false;
    }

    /** How many installs were refused: a second agent's, or code of the app's that tried to take the agent's place. */
    public static long refusedInstalls() {
        return refusedInstalls.get();
    }

    public static void platformMBeanServer(Object server) {
        java.util.function.Consumer<Object> listener = mbeanServers;
        if (listener == null) {
            return;
        }
        try {
            listener.accept(server);
        } catch (Throwable t) {
            suppressed("registering the MBean with the platform MBean server", t);
        }
    }

    /** Whether an agent instance already listens (loaded at start-up, or by an earlier attach). */
    public static boolean isInstalled() {
        return events != null;
    }

    /** The agent's start-up has ended: its hooks are live and what was opened meanwhile is configured. */
    public static void startUpEnded() {
        startedUp = true;
    }

    /** Whether the agent's start-up, which runs off the app's path, has ended (for tests and tools). */
    public static boolean hasStartedUp() {
        return startedUp;
    }

    public static void connected(FileDescriptor fd, InetAddress remote, int port) {
        SocketEvents listener = events;
        if (listener == null) {
            return;
        }
        try {
            listener.connected(fd, remote, port);
        } catch (Throwable t) {
            suppressed("handling a connect", t);
        }
    }

    public static void accepted(FileDescriptor fd, SocketAddress remote, Object server) {
        SocketEvents listener = events;
        if (listener == null) {
            return;
        }
        try {
            listener.accepted(fd, remote, server);
        } catch (Throwable t) {
            suppressed("handling an accept", t);
        }
    }

    public static void socketImplIoFailed(Object socketImpl, Throwable failure) {
        SocketEvents listener = events;
        if (listener == null) {
            return;
        }
        try {
            listener.socketImplIoFailed(socketImpl, failure);
        } catch (Throwable t) {
            suppressed("handling a failed read or write", t);
        }
    }

    public static void socketImplAccepted(Object socketImpl) {
        SocketEvents listener = events;
        if (listener == null || socketImpl == null) {
            return;
        }
        try {
            listener.socketImplAccepted(socketImpl);
        } catch (Throwable t) {
            suppressed("handling an accept", t);
        }
    }

    public static void ioFailed(FileDescriptor fd, Throwable failure) {
        SocketEvents listener = events;
        if (listener == null) {
            return;
        }
        try {
            listener.ioFailed(fd, failure);
        } catch (Throwable t) {
            suppressed("handling a failed read or write", t);
        }
    }

    public static void closing(FileDescriptor fd) {
        SocketEvents listener = events;
        if (listener == null || fd == null) {
            return;
        }
        try {
            listener.closing(fd);
        } catch (Throwable t) {
            suppressed("handling a close", t);
        }
    }

    /**
     * {@code java.net.SocketImpl}'s own form of {@link #optionSet} (JDK 8 to 12), with the option's
     * number of {@code java.net.SocketOptions}: only SO_KEEPALIVE (8) concerns the agent.
     */
    public static Object intOptionSet(FileDescriptor fd, int option, Object value) {
        return option == 0x0008 ? optionSet(fd, java.net.StandardSocketOptions.SO_KEEPALIVE, value) : value;
    }

    public static Object optionSet(FileDescriptor fd, SocketOption<?> name, Object value) {
        SocketEvents listener = events;
        if (listener == null || fd == null) {
            return value; // no socket yet, or closed: the JDK refuses the call itself
        }
        try {
            return listener.optionSet(fd, name, value);
        } catch (Throwable t) {
            suppressed("checking an option the app set", t);
            return value;
        }
    }

    public static void optionWasSet(FileDescriptor fd, SocketOption<?> name, Object value) {
        SocketEvents listener = events;
        if (listener == null || fd == null) {
            return;
        }
        try {
            listener.optionWasSet(fd, name, value);
        } catch (Throwable t) {
            suppressed("checking an option the app set", t);
        }
    }

    public static void channelConnected(Object channel, Object remote) {
        ChannelEvents listener = channels;
        if (listener == null) {
            return;
        }
        try {
            listener.connected(channel, remote);
        } catch (Throwable t) {
            suppressed("handling a Netty connect", t);
        }
    }

    public static void channelRegistered(Object channel) {
        ChannelEvents listener = channels;
        if (listener == null) {
            return;
        }
        try {
            listener.registered(channel);
        } catch (Throwable t) {
            suppressed("handling a Netty channel registration", t);
        }
    }

    public static void channelIoFailed(Object channel, Throwable failure) {
        ChannelEvents listener = channels;
        if (listener == null) {
            return;
        }
        try {
            listener.ioFailed(channel, failure);
        } catch (Throwable t) {
            suppressed("handling a failed Netty read or write", t);
        }
    }

    public static void channelPipelineReadFailed(Object pipeline, Throwable failure) {
        ChannelEvents listener = channels;
        if (listener == null) {
            return;
        }
        try {
            listener.readFailedIn(pipeline, failure);
        } catch (Throwable t) {
            suppressed("handling a failed Netty read", t);
        }
    }

    public static int channelIntOptionSet(Object config, String option, int value) {
        ChannelEvents listener = channels;
        if (listener == null) {
            return value;
        }
        try {
            return listener.intOptionSet(config, option, value);
        } catch (Throwable t) {
            suppressed("checking a Netty option the app set", t);
            return value;
        }
    }

    public static boolean channelKeepaliveSet(Object config, boolean on) {
        ChannelEvents listener = channels;
        if (listener == null) {
            return on;
        }
        try {
            return listener.keepaliveSet(config, on);
        } catch (Throwable t) {
            suppressed("checking a Netty option the app set", t);
            return on;
        }
    }

    public static void channelClosing(Object channel) {
        ChannelEvents listener = channels;
        if (listener == null) {
            return;
        }
        try {
            listener.closing(channel);
        } catch (Throwable t) {
            suppressed("handling a Netty close", t);
        }
    }

    /** How many errors the agent swallowed, here and in its own code; a healthy agent keeps this at zero. */
    public static long suppressedErrors() {
        return suppressedCount.get();
    }

    /**
     * Counts an error the agent swallowed so that the app never sees it, and has the agent's log
     * write it if it is the first of its kind. {@code doing}: what the agent was doing, e.g.
     * "configuring a connection".
     */
    /** What the agent was doing at the last error it swallowed, the error and where it was thrown; empty if none. */
    public static String lastSuppressedError() {
        return lastSuppressed;
    }

    public static void suppressed(String doing, Throwable t) {
        suppressedCount.incrementAndGet();
        try {
            StackTraceElement[] where = t.getStackTrace();
            lastSuppressed = doing + ": " + t + (where.length > 0 ? " at " + where[0] : "");
        } catch (Throwable unprintable) {
            lastSuppressed = doing + ": " + t.getClass().getName();
        }
        java.util.function.BiConsumer<String, Throwable> log = errorLog;
        if (log != null) {
            try {
                log.accept(doing, t);
            } catch (Throwable ignored) {
                // counted above; a log that fails must not take the app's thread with it
            }
        }
    }
}
