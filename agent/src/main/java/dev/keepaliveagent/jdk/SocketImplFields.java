package dev.keepaliveagent.jdk;

import java.io.FileDescriptor;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketImpl;

/**
 * Reads an accepted {@code java.net.SocketImpl}'s descriptor and peer from its protected fields,
 * without a system call. Needs {@code java.net} opened to the agent.
 */
public final class SocketImplFields {

    private final MethodHandle fd;
    private final MethodHandle address;
    private final MethodHandle port;
    private final MethodHandle localPort;

    SocketImplFields() {
        try {
            fd = PrivateMembers.getter(MethodHandles.lookup(), SocketImpl.class, "fd", FileDescriptor.class);
            address = PrivateMembers.getter(MethodHandles.lookup(), SocketImpl.class, "address", InetAddress.class);
            port = PrivateMembers.getter(MethodHandles.lookup(), SocketImpl.class, "port", int.class);
            localPort = PrivateMembers.getter(MethodHandles.lookup(), SocketImpl.class, "localport", int.class);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("java.net.SocketImpl's fields are not as expected on this JDK: " + e, e);
        }
    }

    FileDescriptor fd(Object socketImpl) throws Throwable {
        return (FileDescriptor) fd.invokeExact((SocketImpl) socketImpl);
    }

    /** The local port of a {@code SocketImpl}: an accepted one's is its listening socket's. */
    int localPort(Object socketImpl) throws Throwable {
        return (int) localPort.invokeExact((SocketImpl) socketImpl);
    }

    InetSocketAddress remote(Object socketImpl) throws Throwable {
        SocketImpl impl = (SocketImpl) socketImpl;
        InetAddress remote = (InetAddress) address.invokeExact(impl);
        int remotePort = (int) port.invokeExact(impl);
        return remote == null ? null : new InetSocketAddress(remote, remotePort);
    }
}
