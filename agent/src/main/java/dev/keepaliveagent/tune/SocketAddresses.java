package dev.keepaliveagent.tune;

import dev.keepaliveagent.instrument.PrivateMembers;
import java.io.FileDescriptor;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.net.InetSocketAddress;

/**
 * A socket's local address from its bare descriptor ({@code getsockname} through the JDK's
 * {@code sun.nio.ch.Net.localAddress}); used on failure paths only. Needs {@code sun.nio.ch} opened
 * to the agent.
 */
final class SocketAddresses {

    private final MethodHandle localAddress;

    SocketAddresses() {
        try {
            Class<?> net = Class.forName("sun.nio.ch.Net");
            localAddress = PrivateMembers.method(net, "localAddress", MethodType.methodType(InetSocketAddress.class, FileDescriptor.class));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("sun.nio.ch.Net.localAddress is not as expected on this JDK: " + e, e);
        }
    }

    InetSocketAddress local(FileDescriptor fd) throws Throwable {
        return (InetSocketAddress) localAddress.invokeExact(fd);
    }
}
