package dev.keepaliveagent.boot;

import java.io.FileDescriptor;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.SocketOption;

/**
 * What the JDK hooks report, implemented by the agent. Loaded by the bootstrap class loader with
 * {@link Switchboard}; JDK types only.
 */
public interface SocketEvents {

    /** A TCP socket connected, or started a non-blocking connect, to {@code remote:port}. */
    void connected(FileDescriptor fd, InetAddress remote, int port);

    /**
     * A channel accepted a connection from {@code remote}; {@code fd} is the new connection's,
     * {@code listener} the accepting (asynchronous) server socket channel, or null where the JDK makes
     * the accepted channel without it at hand (JDK 8 to 12).
     */
    void accepted(FileDescriptor fd, SocketAddress remote, Object listener);

    /**
     * A {@code ServerSocket} accepted a connection, which this {@code java.net.SocketImpl} now holds (or,
     * for a custom {@code SocketImpl}, may not: then it has no descriptor).
     */
    void socketImplAccepted(Object socketImpl);

    /**
     * A read or write on a TCP socket failed in the kernel ({@code failure} is what the JDK's native
     * code threw, before the app sees it). Not called on success.
     */
    void ioFailed(FileDescriptor fd, Throwable failure);

    /** As {@link #ioFailed}, for a {@code java.net.SocketImpl}'s stream, which knows its socket only by the impl (JDK 8 to 12). */
    void socketImplIoFailed(Object socketImpl, Throwable failure);

    /** The socket is being closed: whatever is known of it can go. */
    void closing(FileDescriptor fd);

    /** The app sets a socket option; returns the value to set instead, or {@code value} itself. */
    Object optionSet(FileDescriptor fd, SocketOption<?> name, Object value);

    /**
     * The app's {@code value} (or the one {@link #optionSet} returned) is now set: called on return, so
     * that a value let through on a socket not configured yet does not outlast a configure that came
     * between {@link #optionSet} and the kernel's taking it.
     */
    void optionWasSet(FileDescriptor fd, SocketOption<?> name, Object value);
}
