package dev.keepaliveagent.jdk;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.SocketOption;

/**
 * The JDK's own implementation of {@code jdk.net.ExtendedSocketOptions} for this platform
 * ({@code sun.net.ext.ExtendedSocketOptions}, JDK 9 and later), called on a bare descriptor: the options'
 * numbers are then the platform's, as the JDK knows them. JDK 25 added an {@code isIPv6} flag to its
 * methods, which the keepalive options ignore.
 */
public final class JdkExtendedOptions {

    private final Object platform;
    private final MethodHandle supported;
    private final MethodHandle set;
    private final MethodHandle get;

    private JdkExtendedOptions(Object platform, MethodHandle supported, MethodHandle set, MethodHandle get) {
        this.platform = platform;
        this.supported = supported;
        this.set = set;
        this.get = get;
    }

    /** Null on a JDK without them (8). */
    static JdkExtendedOptions find() {
        try {
            Class<?> type = Class.forName("sun.net.ext.ExtendedSocketOptions");
            Object platform = PrivateMembers.method(MethodHandles.lookup(), type, "getInstance", MethodType.methodType(type)).invoke();
            MethodHandle supported = PrivateMembers.method(MethodHandles.lookup(), type, "isOptionSupported",
                    MethodType.methodType(boolean.class, SocketOption.class));
            MethodHandle set;
            MethodHandle get;
            try {
                set = PrivateMembers.method(MethodHandles.lookup(), type, "setOption", MethodType.methodType(void.class, FileDescriptor.class,
                        SocketOption.class, Object.class, boolean.class));
                get = PrivateMembers.method(MethodHandles.lookup(), type, "getOption", MethodType.methodType(Object.class, FileDescriptor.class,
                        SocketOption.class, boolean.class));
                set = MethodHandles.insertArguments(set, 4, false);
                get = MethodHandles.insertArguments(get, 3, false);
            } catch (NoSuchMethodException beforeJdk25) {
                set = PrivateMembers.method(MethodHandles.lookup(), type, "setOption", MethodType.methodType(void.class, FileDescriptor.class,
                        SocketOption.class, Object.class));
                get = PrivateMembers.method(MethodHandles.lookup(), type, "getOption", MethodType.methodType(Object.class, FileDescriptor.class,
                        SocketOption.class));
            }
            return new JdkExtendedOptions(platform, supported.asType(MethodType.methodType(boolean.class, Object.class,
                    SocketOption.class)), set.asType(MethodType.methodType(void.class, Object.class, FileDescriptor.class,
                    SocketOption.class, Object.class)), get.asType(MethodType.methodType(Object.class, Object.class,
                    FileDescriptor.class, SocketOption.class)));
        } catch (Throwable notOnThisJdk) {
            return null;
        }
    }

    boolean supports(SocketOption<?> option) {
        try {
            return (boolean) supported.invokeExact(platform, option);
        } catch (Throwable t) {
            return false;
        }
    }

    void set(FileDescriptor fd, SocketOption<?> option, Object value) throws IOException {
        try {
            set.invokeExact(platform, fd, option, value);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
    }

    Object get(FileDescriptor fd, SocketOption<?> option) throws IOException {
        try {
            return get.invokeExact(platform, fd, option);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
    }
}
