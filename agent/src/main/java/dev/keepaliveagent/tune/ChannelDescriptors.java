package dev.keepaliveagent.tune;

import dev.keepaliveagent.instrument.PrivateMembers;
import java.io.FileDescriptor;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * A JDK socket channel's descriptor: {@code sun.nio.ch.SelChImpl.getFD()}, which every channel
 * implementation of the JDK has. Needs {@code sun.nio.ch} opened to the agent; looked up at the
 * first use, on the JDKs whose accept hook hands over a channel (11 and 12).
 */
final class ChannelDescriptors {

    private static final class Lookup {
        static final MethodHandle GET_FD = getFd();
    }

    private ChannelDescriptors() {
    }

    static FileDescriptor of(Object channel) throws Throwable {
        return (FileDescriptor) Lookup.GET_FD.invokeExact(channel);
    }

    private static MethodHandle getFd() {
        try {
            Class<?> selectable = Class.forName("sun.nio.ch.SelChImpl");
            return PrivateMembers.method(MethodHandles.lookup(), selectable, "getFD", MethodType.methodType(FileDescriptor.class))
                    .asType(MethodType.methodType(FileDescriptor.class, Object.class));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("sun.nio.ch.SelChImpl.getFD is not as expected on this JDK: " + e, e);
        }
    }
}
