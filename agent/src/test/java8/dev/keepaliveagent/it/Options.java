package dev.keepaliveagent.it;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.Socket;
import java.net.SocketOption;
import java.nio.channels.NetworkChannel;

/**
 * Socket options as an app sets and reads them on each JDK, for apps that run on JDK 8 too: a
 * {@code Socket}'s own {@code setOption}/{@code getOption} on 9+, {@code jdk.net.Sockets}' on 8; the keepalive
 * options of {@code jdk.net.ExtendedSocketOptions}, which JDK 8 has from 8u272 (Java SE 8's API lacks them).
 */
final class Options {

    static final SocketOption<Integer> IDLE = extended("TCP_KEEPIDLE");
    static final SocketOption<Integer> INTERVAL = extended("TCP_KEEPINTERVAL");
    static final SocketOption<Integer> COUNT = extended("TCP_KEEPCOUNT");

    private static final boolean JDK8 = System.getProperty("java.specification.version").startsWith("1.");

    private Options() {
    }

    /** {@code option} of a {@code Socket} or a channel, as the app reads it. */
    @SuppressWarnings("unchecked")
    static <T> T get(Object end, SocketOption<T> option) throws java.io.IOException {
        if (end instanceof NetworkChannel) {
            return ((NetworkChannel) end).getOption(option);
        }
        return (T) (JDK8 ? call(sockets("getOption"), null, end, option) : call(socketMethod("getOption"), end, option));
    }

    static <T> void set(Object end, SocketOption<T> option, T value) throws java.io.IOException {
        if (end instanceof NetworkChannel) {
            ((NetworkChannel) end).setOption(option, value);
        } else if (JDK8) {
            call(sockets("setOption"), null, end, option, value);
        } else {
            call(socketMethod("setOption"), end, option, value);
        }
    }

    @SuppressWarnings("unchecked")
    private static SocketOption<Integer> extended(String name) {
        try {
            return (SocketOption<Integer>) Class.forName("jdk.net.ExtendedSocketOptions").getField(name).get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this JDK has no jdk.net.ExtendedSocketOptions." + name + " (JDK 8 has it from 8u272)", e);
        }
    }

    private static Method sockets(String name) {
        for (Method method : reflect(() -> Class.forName("jdk.net.Sockets")).getMethods()) {
            if (method.getName().equals(name) && method.getParameterTypes()[0] == Socket.class) {
                return method;
            }
        }
        throw new IllegalStateException("no jdk.net.Sockets." + name + "(Socket, ...)");
    }

    private static Method socketMethod(String name) {
        for (Method method : Socket.class.getMethods()) {
            if (method.getName().equals(name) && method.getParameterTypes().length > 0
                    && method.getParameterTypes()[0] == SocketOption.class) {
                return method;
            }
        }
        throw new IllegalStateException("no Socket." + name + "(SocketOption, ...)");
    }

    private static Object call(Method method, Object target, Object... arguments) throws java.io.IOException {
        try {
            return method.invoke(target, arguments);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof java.io.IOException) {
                throw (java.io.IOException) e.getCause();
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private interface Reflective<T> {
        T get() throws ReflectiveOperationException;
    }

    private static <T> T reflect(Reflective<T> lookup) {
        try {
            return lookup.get();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
