package dev.keepaliveagent.instrument;

import static dev.keepaliveagent.instrument.Hook.Value.NULL;
import static dev.keepaliveagent.instrument.Hook.Value.RETURNED;
import static dev.keepaliveagent.instrument.Hook.Value.THIS;
import static dev.keepaliveagent.instrument.Hook.Value.THROWN;
import static dev.keepaliveagent.instrument.Hook.Value.argument;
import static dev.keepaliveagent.instrument.Hook.Value.constant;
import static dev.keepaliveagent.instrument.Hook.Value.field;

/**
 * What each kind of {@link Targets} row calls in {@code Switchboard}, and with what. Every call is
 * guarded in the woven code: whatever it throws (a class loader that cannot see {@code Switchboard}
 * included) is dropped, and the method goes on as if it had not been woven.
 */
final class Hooks {

    private static final String FD = "Ljava/io/FileDescriptor;";
    private static final String OBJECT = "Ljava/lang/Object;";
    private static final String THROWABLE = "Ljava/lang/Throwable;";
    private static final String STRING = "Ljava/lang/String;";
    private static final String SOCKET_OPTION = "Ljava/net/SocketOption;";
    /** {@code SocketImpl.fd}, the descriptor of a JDK 8 to 12 {@code PlainSocketImpl}. */
    private static final Hook.Value SOCKET_IMPL_FD = field("fd", FD);

    /**
     * {@code Net.connect(ProtocolFamily, FileDescriptor, InetAddress, int)}, where every TCP connect of the
     * JDK passes: {@code Socket}, {@code SocketChannel} (blocking or not) and {@code AsynchronousSocketChannel}.
     * A non-blocking connect returns before the handshake ends; options set then still apply once it completes.
     */
    static final Hook[] CONNECT = {
        Hook.onReturn("connected", "(" + FD + "Ljava/net/InetAddress;I)V", argument(1), argument(2), argument(3)),
    };

    /**
     * {@code Net.setSocketOption(FileDescriptor, ProtocolFamily, SocketOption, Object)}, where every option
     * set on a JDK TCP socket or channel passes: on entry, so that an app cannot switch keepalive off or make
     * it laxer than configured; on return, so that a value let through on a socket not configured yet cannot
     * undo a configure that came meanwhile.
     */
    static final Hook[] SET_OPTION = {
        Hook.onEnterReplacing(3, "optionSet", "(" + FD + SOCKET_OPTION + OBJECT + ")" + OBJECT,
                argument(0), argument(2), argument(3)),
        Hook.onReturn("optionWasSet", "(" + FD + SOCKET_OPTION + OBJECT + ")V", argument(0), argument(2), argument(3)),
    };

    /** {@code Socket.postAccept()} (JDK 8 to 18): the Socket has been handed its accepted connection. */
    static final Hook[] POST_ACCEPT = {
        Hook.onReturn("socketImplAccepted", "(" + OBJECT + ")V", field("impl", "Ljava/net/SocketImpl;")),
    };

    /** {@code Socket.setConnectedImpl(SocketImpl)} (JDK 19 on), with which {@code ServerSocket.implAccept} hands it over. */
    static final Hook[] CONNECTED_IMPL = {
        Hook.onReturn("socketImplAccepted", "(" + OBJECT + ")V", argument(0)),
    };

    /** {@code finishAccept(FileDescriptor, SocketAddress)} of a server channel: the accepted socket and its listener. */
    static final Hook[] CHANNEL_ACCEPT = {
        Hook.onEnter("accepted", "(" + FD + "Ljava/net/SocketAddress;" + OBJECT + ")V", argument(0), argument(1), THIS),
    };

    /** The constructor of an accepted {@code SocketChannelImpl} (JDK 8 to 12). */
    static final Hook[] ACCEPTED_CHANNEL = {
        Hook.onReturn("accepted", "(" + FD + "Ljava/net/SocketAddress;" + OBJECT + ")V", argument(1), argument(2), NULL),
    };

    /**
     * {@code SocketDispatcher.read/readv/write/writev}, where every read and write of a JDK TCP socket reaches
     * the kernel. Errors raised here come from the kernel; the app's own close, read timeouts and interrupts
     * are raised above this level and never pass. The normal return path is unchanged.
     */
    static final Hook[] IO_FAILURE = {
        Hook.onThrow("ioFailed", "(" + FD + THROWABLE + ")V", argument(0), THROWN),
    };

    /** Where the JDK closes a socket's descriptor, so that the agent forgets it at once. */
    static final Hook[] CLOSE = {
        Hook.onEnter("closing", "(" + FD + ")V", argument(0)),
    };

    /** {@code AbstractPlainSocketImpl.doConnect(InetAddress, int)} (JDK 8 to 12). */
    static final Hook[] SOCKET_IMPL_CONNECT = {
        Hook.onReturn("connected", "(" + FD + "Ljava/net/InetAddress;I)V",
                SOCKET_IMPL_FD, argument(0), argument(1)),
    };

    /**
     * {@code AbstractPlainSocketImpl.setOption(int, Object)} (JDK 8 to 12), where {@code Socket.setKeepAlive}
     * and {@code setOption(SO_KEEPALIVE, …)} end; as {@link #SET_OPTION}.
     */
    static final Hook[] SOCKET_IMPL_INT_OPTION = {
        Hook.onEnterReplacing(1, "intOptionSet", "(" + FD + "I" + OBJECT + ")" + OBJECT,
                SOCKET_IMPL_FD, argument(0), argument(1)),
        Hook.onReturn("intOptionWasSet", "(" + FD + "I" + OBJECT + ")V", SOCKET_IMPL_FD, argument(0), argument(1)),
    };

    /** {@code PlainSocketImpl.setOption(SocketOption, Object)} (JDK 9 to 12); as {@link #SET_OPTION}. */
    static final Hook[] SOCKET_IMPL_OPTION = {
        Hook.onEnterReplacing(1, "optionSet", "(" + FD + SOCKET_OPTION + OBJECT + ")" + OBJECT,
                SOCKET_IMPL_FD, argument(0), argument(1)),
        Hook.onReturn("optionWasSet", "(" + FD + SOCKET_OPTION + OBJECT + ")V", SOCKET_IMPL_FD, argument(0), argument(1)),
    };

    /** {@code AbstractPlainSocketImpl.close()} (JDK 8 to 12). */
    static final Hook[] SOCKET_IMPL_CLOSE = {
        Hook.onEnter("closing", "(" + FD + ")V", SOCKET_IMPL_FD),
    };

    /** {@code SocketInputStream.socketRead} and {@code SocketOutputStream.socketWrite} (JDK 8 to 12). */
    static final Hook[] SOCKET_STREAM_FAILURE = {
        Hook.onThrow("socketImplIoFailed", "(" + OBJECT + THROWABLE + ")V",
                field("impl", "Ljava/net/AbstractPlainSocketImpl;"), THROWN),
    };

    /** Where Netty's native channels connect. */
    static final Hook[] CHANNEL_CONNECT = {
        Hook.onReturn("channelConnected", "(" + OBJECT + OBJECT + ")V", THIS, argument(0)),
    };

    /** Where Netty's native channels are registered with their event loop (accepted ones included). */
    static final Hook[] CHANNEL_REGISTER = {
        Hook.onReturn("channelRegistered", "(" + OBJECT + ")V", THIS),
    };

    /**
     * The read and write methods of Netty's epoll channels, where the kernel's errors surface as Netty's
     * {@code NativeIoException}, before the pipeline sees them.
     */
    static final Hook[] CHANNEL_IO_FAILURE = {
        Hook.onThrow("channelIoFailed", "(" + OBJECT + THROWABLE + ")V", THIS, THROWN),
    };

    /** Netty io_uring's {@code handleReadException(pipeline, byteBuf, cause, …)}: a read's failure, before the pipeline's. */
    static final Hook[] CHANNEL_READ_FAILURE = {
        Hook.onEnter("channelPipelineReadFailed", "(" + OBJECT + THROWABLE + ")V", argument(0), argument(2)),
    };

    /** A Netty channel config's {@code setKeepAlive(boolean)}: the app's call, or the agent's own through {@code setOption}. */
    static final Hook[] CHANNEL_KEEPALIVE = {
        Hook.onEnterReplacing(0, "channelKeepaliveSet", "(" + OBJECT + "Z)Z", THIS, argument(0)),
    };

    /** A Netty channel config's setter of the value Netty names {@code option}, e.g. {@code setTcpKeepIdle(int)}. */
    static Hook[] channelIntOption(String option) {
        return new Hook[] {
            Hook.onEnterReplacing(0, "channelIntOptionSet", "(" + OBJECT + STRING + "I)I", THIS, constant(option), argument(0)),
        };
    }

    static final Hook[] CHANNEL_CLOSE = {
        Hook.onEnter("channelClosing", "(" + OBJECT + ")V", THIS),
    };

    /** {@code ManagementFactory.getPlatformMBeanServer()}: the server, whoever asked for it first. */
    static final Hook[] MBEAN_SERVER = {
        Hook.onReturn("platformMBeanServer", "(" + OBJECT + ")V", RETURNED),
    };

    private Hooks() {
    }
}
