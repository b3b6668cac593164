package dev.keepaliveagent.boot;

import java.io.FileDescriptor;
import java.lang.invoke.MethodHandle;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The only code that advice inlined into JDK classes calls.
 *
 * <p>Loaded by the bootstrap class loader: the agent injects it there by name before anything
 * refers to it, so that {@code java.base} classes can link against it. It therefore uses JDK types
 * only, never Byte Buddy, tinylog or any other agent class. Until the agent installs its callbacks
 * every hook does nothing; every hook swallows and counts whatever its callback throws, so nothing
 * reaches the application.
 */
public final class Switchboard {

    // (FileDescriptor, InetAddress, int)void
    private static volatile MethodHandle onConnected;
    // (FileDescriptor, SocketAddress)void
    private static volatile MethodHandle onAccepted;
    // (Object socketImpl)void
    private static volatile MethodHandle onSocketImplAccepted;
    // (FileDescriptor, SocketOption, Object)Object
    private static volatile MethodHandle onOptionSet;

    private static final AtomicLong suppressed = new AtomicLong();
    private static volatile Throwable lastSuppressed;

    private Switchboard() {
    }

    public static void install(MethodHandle connected, MethodHandle accepted,
                               MethodHandle socketImplAccepted, MethodHandle optionSet) {
        onConnected = connected;
        onAccepted = accepted;
        onSocketImplAccepted = socketImplAccepted;
        onOptionSet = optionSet;
    }

    /** A TCP socket connected, or started a non-blocking connect, to {@code remote:port}. */
    public static void connected(FileDescriptor fd, InetAddress remote, int port) {
        MethodHandle callback = onConnected;
        if (callback == null) {
            return;
        }
        try {
            callback.invokeExact(fd, remote, port);
        } catch (Throwable t) {
            suppress(t);
        }
    }

    /** A channel accepted a connection from {@code remote}; {@code fd} is the new connection's. */
    public static void accepted(FileDescriptor fd, SocketAddress remote) {
        MethodHandle callback = onAccepted;
        if (callback == null) {
            return;
        }
        try {
            callback.invokeExact(fd, remote);
        } catch (Throwable t) {
            suppress(t);
        }
    }

    /** A {@code ServerSocket} accepted a connection into this {@code java.net.SocketImpl}. */
    public static void socketImplAccepted(Object socketImpl) {
        MethodHandle callback = onSocketImplAccepted;
        if (callback == null) {
            return;
        }
        try {
            callback.invokeExact(socketImpl);
        } catch (Throwable t) {
            suppress(t);
        }
    }

    /** The app sets a socket option; returns the value to set instead (the same, unless the agent overrides it). */
    public static Object optionSet(FileDescriptor fd, SocketOption<?> name, Object value) {
        MethodHandle callback = onOptionSet;
        if (callback == null) {
            return value;
        }
        try {
            return (Object) callback.invokeExact(fd, name, value);
        } catch (Throwable t) {
            suppress(t);
            return value;
        }
    }

    /** How many errors the hooks swallowed; a healthy agent keeps this at zero. */
    public static long suppressedErrors() {
        return suppressed.get();
    }

    public static Throwable lastSuppressedError() {
        return lastSuppressed;
    }

    private static void suppress(Throwable t) {
        lastSuppressed = t;
        suppressed.incrementAndGet();
    }
}
