package dev.keepaliveagent.jdk;

import java.io.FileDescriptor;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.InetSocketAddress;

/**
 * A socket's local and remote address from its bare descriptor ({@code getsockname} and
 * {@code getpeername} through the JDK's {@code sun.nio.ch.Net}); used on rare paths only (a failure,
 * a connection no hook saw). Needs {@code sun.nio.ch} opened to the agent.
 */
public final class SocketAddresses {

    private final MethodHandle localAddress;
    private final MethodHandle remoteAddress;

    SocketAddresses() {
        try {
            Class<?> net = Class.forName("sun.nio.ch.Net");
            MethodType ofDescriptor = MethodType.methodType(InetSocketAddress.class, FileDescriptor.class);
            localAddress = PrivateMembers.method(MethodHandles.lookup(), net, "localAddress", ofDescriptor);
            remoteAddress = PrivateMembers.method(MethodHandles.lookup(), net, "remoteAddress", ofDescriptor);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("sun.nio.ch.Net.localAddress is not as expected on this JDK: " + e, e);
        }
    }

    InetSocketAddress local(FileDescriptor fd) throws Throwable {
        return (InetSocketAddress) localAddress.invokeExact(fd);
    }

    /** False on JDK 8 to 12, whose {@code Net.remoteInetAddress} is declared but has no native code. */
    private volatile boolean netKnowsPeers = true;
    private volatile MethodHandle inheritedPeerAddress;
    private volatile MethodHandle inheritedPeerPort;

    /** The peer; fails (ENOTCONN), or is null, once the connection is closed, by the kernel too. */
    InetSocketAddress remote(FileDescriptor fd) throws Throwable {
        if (netKnowsPeers) {
            try {
                return (InetSocketAddress) remoteAddress.invokeExact(fd);
            } catch (UnsatisfiedLinkError jdk8To12) {
                netKnowsPeers = false;
            }
        }
        return remoteAsInherited(FileDescriptors.numberOf(fd));
    }

    /** {@code getpeername} through {@code sun.nio.ch.InheritedChannel}, whose natives JDK 8 to 12 have. */
    private InetSocketAddress remoteAsInherited(int number) throws Throwable {
        if (inheritedPeerAddress == null) {
            Class<?> inherited = Class.forName("sun.nio.ch.InheritedChannel");
            inheritedPeerPort = PrivateMembers.method(MethodHandles.lookup(), inherited, "peerPort0", MethodType.methodType(int.class, int.class));
            inheritedPeerAddress = PrivateMembers.method(MethodHandles.lookup(), inherited, "peerAddress0",
                    MethodType.methodType(java.net.InetAddress.class, int.class));
        }
        java.net.InetAddress address = (java.net.InetAddress) inheritedPeerAddress.invokeExact(number);
        if (address == null) {
            return null;
        }
        // Two getpeername calls: a connection closed between them answers the second with -1.
        int port = (int) inheritedPeerPort.invokeExact(number);
        return port < 0 ? null : new InetSocketAddress(address, port);
    }
}
