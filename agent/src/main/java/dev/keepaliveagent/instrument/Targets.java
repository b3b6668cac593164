package dev.keepaliveagent.instrument;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every method the agent instruments and the hooks woven into it ({@link Hooks}), per JDK feature release: supporting a new JDK means
 * checking this table. A name a JDK lacks simply never matches; at start-up the agent warns about
 * any row expected on the running JDK that did not match.
 *
 * <p>The points are as low as the JDK allows, so that a handful of methods cover every TCP API:
 * since JDK 13 {@code java.net.Socket} runs on {@code NioSocketImpl}, and all connects, whatever
 * the API, go through {@code Net.connect}; all option changes go through {@code Net.setSocketOption}.
 * {@code Net.accept} is native and cannot carry a hook, and the methods that call it block: accepts
 * are caught where the accepted socket or channel is made, which an accept already blocked when the
 * hooks went live reaches in woven code too. Every
 * read and write of a TCP socket reaches the kernel through {@code SocketDispatcher}. Before JDK 13,
 * {@code java.net.Socket} has a way of its own ({@code PlainSocketImpl}, its streams), with rows of
 * its own. Only the rows of the running JDK are loaded and woven.
 */
final class Targets {

    private static final int ANY = Integer.MAX_VALUE;
    private static final String FD = "java.io.FileDescriptor";
    private static final String SOCKET_ADDRESS = "java.net.SocketAddress";
    private static final String EPOLL = "io.netty.channel.epoll.";
    private static final String URING = "io.netty.channel.uring.";

    static final List<Target> ALL = withConfigSetters(Arrays.asList(
            Target.of("sun.nio.ch.Net", "connect", Hooks.CONNECT, 8, ANY,
                    "java.net.ProtocolFamily", FD, "java.net.InetAddress", "int"),
            Target.of("sun.nio.ch.Net", "setSocketOption", Hooks.SET_OPTION, 8, ANY,
                    FD, "java.net.ProtocolFamily", "java.net.SocketOption", "java.lang.Object"),
            // ServerSocket.accept(): where the Socket is handed its connection, after the blocking call,
            // so that an accept that began before the hooks were live hands its connection to a hook too.
            Target.exactly("java.net.Socket", "postAccept", Hooks.POST_ACCEPT, 8, 18),
            Target.exactly("java.net.Socket", "setConnectedImpl", Hooks.CONNECTED_IMPL, 19, ANY, "java.net.SocketImpl"),
            Target.of("sun.nio.ch.ServerSocketChannelImpl", "finishAccept", Hooks.CHANNEL_ACCEPT, 13, ANY,
                    FD, "java.net.SocketAddress"),
            // JDK 8 to 12 accept in one method; where it makes the accepted channel is reached anew by an
            // accept that began before the hooks were live.
            Target.exactly("sun.nio.ch.SocketChannelImpl", Target.CONSTRUCTOR, Hooks.ACCEPTED_CHANNEL, 8, 12,
                    "java.nio.channels.spi.SelectorProvider", FD, "java.net.InetSocketAddress"),
            Target.of("sun.nio.ch.UnixAsynchronousServerSocketChannelImpl", "finishAccept", Hooks.CHANNEL_ACCEPT, 8, ANY,
                    FD, "java.net.InetSocketAddress"),
            Target.of("sun.nio.ch.SocketDispatcher", "read", Hooks.IO_FAILURE, 8, ANY, FD, "long", "int"),
            Target.of("sun.nio.ch.SocketDispatcher", "readv", Hooks.IO_FAILURE, 8, ANY, FD, "long", "int"),
            Target.of("sun.nio.ch.SocketDispatcher", "write", Hooks.IO_FAILURE, 8, ANY, FD, "long", "int"),
            Target.of("sun.nio.ch.SocketDispatcher", "writev", Hooks.IO_FAILURE, 8, ANY, FD, "long", "int"),
            // Where sockets are closed, so the agent forgets them at once (JDK 21 moved it to a superclass).
            Target.of("sun.nio.ch.SocketDispatcher", "close", Hooks.CLOSE, 8, 20, FD),
            Target.of("sun.nio.ch.UnixDispatcher", "close", Hooks.CLOSE, 21, ANY, FD),
            // JDK 8 to 12: java.net.Socket runs on PlainSocketImpl, whose connect, accept, options and
            // streams end in native code of their own, out of sun.nio.ch's sight.
            Target.of("java.net.AbstractPlainSocketImpl", "doConnect", Hooks.SOCKET_IMPL_CONNECT, 8, 12,
                    "java.net.InetAddress", "int"),
            Target.of("java.net.AbstractPlainSocketImpl", "setOption", Hooks.SOCKET_IMPL_INT_OPTION, 8, 12,
                    "int", "java.lang.Object"),
            Target.of("java.net.PlainSocketImpl", "setOption", Hooks.SOCKET_IMPL_OPTION, 8, 12,
                    "java.net.SocketOption", "java.lang.Object"),
            Target.exactly("java.net.AbstractPlainSocketImpl", "close", Hooks.SOCKET_IMPL_CLOSE, 8, 12),
            Target.of("java.net.SocketInputStream", "socketRead", Hooks.SOCKET_STREAM_FAILURE, 8, 12, FD),
            Target.of("java.net.SocketOutputStream", "socketWrite", Hooks.SOCKET_STREAM_FAILURE, 8, 12),
            // Netty's native transports make their sockets in C, out of the JDK's sight; their channels
            // are caught instead (Netty 4.1 and 4.2, shaded copies too) and configured through Netty's options.
            Target.inLibrary(EPOLL + "AbstractEpollChannel", "doConnect", Hooks.CHANNEL_CONNECT, SOCKET_ADDRESS),
            Target.inLibrary(EPOLL + "AbstractEpollChannel", "doRegister", Hooks.CHANNEL_REGISTER),
            Target.inLibrary(EPOLL + "AbstractEpollChannel", "doReadBytes", Hooks.CHANNEL_IO_FAILURE),
            Target.inLibrary(EPOLL + "AbstractEpollStreamChannel", "doWrite", Hooks.CHANNEL_IO_FAILURE),
            Target.inLibrary(EPOLL + "AbstractEpollChannel", "doClose", Hooks.CHANNEL_CLOSE),
            Target.inLibrary(URING + "AbstractIoUringChannel", "submitConnect", Hooks.CHANNEL_CONNECT,
                    "java.net.InetSocketAddress"),
            Target.inLibrary(URING + "AbstractIoUringChannel", "doRegister", Hooks.CHANNEL_REGISTER),
            Target.inLibrary(URING + "AbstractIoUringStreamChannel$IoUringStreamUnsafe", "handleReadException",
                    Hooks.CHANNEL_READ_FAILURE),
            Target.inLibrary(URING + "AbstractIoUringChannel", "doClose", Hooks.CHANNEL_CLOSE),
            // Where the JVM's platform MBean server comes up, whoever asks for it first: the agent
            // registers its MBean there and never creates the server itself (nor loads this class).
            Target.inLibrary("java.lang.management.ManagementFactory", "getPlatformMBeanServer", Hooks.MBEAN_SERVER)));

    private Targets() {
    }

    /**
     * {@code rows}, then the setters of Netty's channel configs, epoll's and io_uring's, which its setOption
     * calls too: where the app's own later calls may make keepalive stricter, never laxer or off, as on a JDK socket.
     */
    private static List<Target> withConfigSetters(List<Target> rows) {
        List<Target> all = new ArrayList<>(rows);
        for (String config : new String[] {EPOLL + "EpollSocketChannelConfig", URING + "IoUringSocketChannelConfig"}) {
            all.add(Target.inLibrary(config, "setKeepAlive", Hooks.CHANNEL_KEEPALIVE, "boolean"));
            all.add(Target.inLibrary(config, "setTcpKeepIdle", Hooks.channelIntOption("TCP_KEEPIDLE"), "int"));
            all.add(Target.inLibrary(config, "setTcpKeepIntvl", Hooks.channelIntOption("TCP_KEEPINTVL"), "int"));
            all.add(Target.inLibrary(config, "setTcpKeepCnt", Hooks.channelIntOption("TCP_KEEPCNT"), "int"));
            all.add(Target.inLibrary(config, "setTcpUserTimeout", Hooks.channelIntOption("TCP_USER_TIMEOUT"), "int"));
        }
        return Collections.unmodifiableList(all);
    }

    /** The targets woven on {@code jdk}, grouped by the type that holds them, in table order. */
    static Map<String, List<Target>> byType(int jdk) {
        Map<String, List<Target>> byType = new LinkedHashMap<>();
        for (Target target : ALL) {
            if (!target.appliesOn(jdk)) {
                continue; // never loaded nor woven here: another JDK's way to the same place
            }
            List<Target> targets = byType.get(target.typeName);
            if (targets == null) {
                targets = new ArrayList<>();
                byType.put(target.typeName, targets);
            }
            targets.add(target);
        }
        return byType;
    }
}
