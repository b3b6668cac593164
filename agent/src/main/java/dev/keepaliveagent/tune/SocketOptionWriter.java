package dev.keepaliveagent.tune;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.SocketOption;

/**
 * Sets a socket option on a bare file descriptor through the JDK's own
 * {@code sun.nio.ch.Net.setSocketOption}, the same path {@code Socket.setOption} and
 * {@code SocketChannel.setOption} end in: one setsockopt call per option, exactly as hand-written
 * code makes. Needs {@code sun.nio.ch} opened to the agent.
 */
final class SocketOptionWriter {

    private final MethodHandle setSocketOption;

    SocketOptionWriter() {
        try {
            Class<?> net = Class.forName("sun.nio.ch.Net");
            setSocketOption = MethodHandles.privateLookupIn(net, MethodHandles.lookup())
                    .findStatic(net, "setSocketOption",
                            MethodType.methodType(void.class, FileDescriptor.class, SocketOption.class, Object.class));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("sun.nio.ch.Net.setSocketOption is not as expected on this JDK: " + e, e);
        }
    }

    void set(FileDescriptor fd, SocketOption<?> option, Object value) throws IOException {
        try {
            setSocketOption.invokeExact(fd, option, value);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
    }
}
