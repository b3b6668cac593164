package dev.keepaliveagent.jdk;

import dev.keepaliveagent.config.KeepaliveOption;
import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.SocketOption;

/**
 * Sets socket options on a bare file descriptor through the JDK's own code: one setsockopt call per
 * option, exactly as hand-written {@code setOption} calls make.
 *
 * <p>On Linux every option goes through the JDK's generic native {@code
 * sun.nio.ch.Net.setIntOption0(fd, level, option, value)}, one level below {@code
 * Net.setSocketOption}, where {@code Socket.setOption} and {@code SocketChannel.setOption} end: the
 * same on JDK 8 (which may lack {@code jdk.net}'s keepalive options) as on 25, no native code of our
 * own, and none of the agent's own hooks on {@code Net.setSocketOption}, which exist to check the
 * app's calls, not the agent's.
 * Needs {@code sun.nio.ch} opened to the agent on JDK 9+.
 *
 * <p>Those numbers are Linux's. On any other system ({@link Platform}) the {@code TCP_KEEP*} options go
 * through the JDK's own {@code jdk.net} implementation there ({@link JdkExtendedOptions}), where the JDK
 * offers them, and are refused otherwise; TCP_USER_TIMEOUT, SO_DOMAIN and TCP_INFO are not asked for.
 */
public final class SocketOptionWriter {

    /** Linux's numbers of what the agent asks a socket beside its options ({@link KeepaliveOption}). */
    public static final int SOL_SOCKET = KeepaliveOption.SOL_SOCKET;
    public static final int SO_KEEPALIVE = 9;
    private static final int SO_TYPE = 3;
    private static final int SOCK_STREAM = 1;
    private static final int SO_PROTOCOL = 38;
    private static final int SO_DOMAIN = 39;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    static final int IPPROTO_TCP = KeepaliveOption.IPPROTO_TCP;
    private static final int TCP_INFO = 11;

    private final Platform platform;
    /** The JDK's own options, for a platform that does not take Linux's numbers; null on Linux or JDK 8. */
    private final JdkExtendedOptions jdkOptions;
    private final MethodHandle netSetSocketOption;
    private final MethodHandle netGetSocketOption;
    /** (FileDescriptor, boolean mayNeedConversion, int level, int option, int value, boolean isIPv6)void */
    private final MethodHandle setIntOption;
    /** (FileDescriptor, boolean mayNeedConversion, int level, int option)int */
    private final MethodHandle getIntOption;

    SocketOptionWriter() {
        this(Platform.CURRENT);
    }

    SocketOptionWriter(Platform platform) {
        this.platform = platform;
        this.jdkOptions = platform.takesLinuxNumbers() ? null : JdkExtendedOptions.find();
        try {
            Class<?> net = Class.forName("sun.nio.ch.Net");
            netSetSocketOption = netSetSocketOption(net);
            netGetSocketOption = netGetSocketOption(net);
            setIntOption = PrivateMembers.method(MethodHandles.lookup(), net, "setIntOption0", MethodType.methodType(void.class,
                    FileDescriptor.class, boolean.class, int.class, int.class, int.class, boolean.class));
            getIntOption = PrivateMembers.method(MethodHandles.lookup(), net, "getIntOption0", MethodType.methodType(int.class,
                    FileDescriptor.class, boolean.class, int.class, int.class));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the JDK's socket option internals are not as expected: " + e, e);
        }
    }

    /**
     * {@code Net.setSocketOption(fd, option, value)}; before JDK 14 it takes the protocol family
     * too, which the three-argument form fills in as {@code Net.UNSPEC} (IPv4 or IPv6 as the socket
     * is: it matters for IP-level options only, not for SO_KEEPALIVE).
     */
    private static MethodHandle netSetSocketOption(Class<?> net) throws ReflectiveOperationException {
        MethodType withoutFamily = MethodType.methodType(void.class, FileDescriptor.class, SocketOption.class, Object.class);
        try {
            return PrivateMembers.method(MethodHandles.lookup(), net, "setSocketOption", withoutFamily);
        } catch (NoSuchMethodException olderJdk) {
            MethodHandle withFamily = PrivateMembers.method(MethodHandles.lookup(), net, "setSocketOption", MethodType.methodType(void.class,
                    FileDescriptor.class, java.net.ProtocolFamily.class, SocketOption.class, Object.class));
            return MethodHandles.insertArguments(withFamily, 1, unspecifiedFamily(net));
        }
    }

    /** {@code Net.getSocketOption(fd, option)}, with the family before JDK 14, as {@link #netSetSocketOption}. */
    private static MethodHandle netGetSocketOption(Class<?> net) throws ReflectiveOperationException {
        MethodType withoutFamily = MethodType.methodType(Object.class, FileDescriptor.class, SocketOption.class);
        try {
            return PrivateMembers.method(MethodHandles.lookup(), net, "getSocketOption", withoutFamily);
        } catch (NoSuchMethodException olderJdk) {
            MethodHandle withFamily = PrivateMembers.method(MethodHandles.lookup(), net, "getSocketOption", MethodType.methodType(Object.class,
                    FileDescriptor.class, java.net.ProtocolFamily.class, SocketOption.class));
            return MethodHandles.insertArguments(withFamily, 1, unspecifiedFamily(net));
        }
    }

    private static Object unspecifiedFamily(Class<?> net) throws ReflectiveOperationException {
        try {
            return PrivateMembers.getter(MethodHandles.lookup(), net, "UNSPEC", java.net.ProtocolFamily.class).invoke();
        } catch (ReflectiveOperationException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** setsockopt of {@code option}: by Linux's numbers on Linux, elsewhere through the JDK's own option, where it has one. */
    void set(FileDescriptor fd, KeepaliveOption option, int value) throws IOException {
        try {
            if (platform.takesLinuxNumbers()) {
                setIntOption.invokeExact(fd, false, option.level(), option.linuxNumber(), value, false);
            } else if (JdkSocketOptions.isStandard(option)) {
                netSetSocketOption.invokeExact(fd, JdkSocketOptions.of(option), (Object) value);
            } else {
                SocketOption<?> jdkOption = jdkOptionFor(option);
                jdkOptions.set(fd, jdkOption, value);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
    }

    /** SO_KEEPALIVE on: what makes the kernel run the keepalive timer with the values set before. */
    void switchKeepaliveOn(FileDescriptor fd) throws IOException {
        try {
            if (platform.takesLinuxNumbers()) {
                setIntOption.invokeExact(fd, false, SOL_SOCKET, SO_KEEPALIVE, 1, false);
            } else {
                netSetSocketOption.invokeExact(fd, (SocketOption<?>) JdkSocketOptions.KEEPALIVE, (Object) Boolean.TRUE);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
    }

    private Object jdkOptionsGet(FileDescriptor fd, KeepaliveOption option) throws IOException {
        SocketOption<?> jdkOption = jdkOptionFor(option);
        return jdkOptions.get(fd, jdkOption);
    }

    /** The JDK's {@code jdk.net} option for {@code option} on a system other than Linux; refused where it has none. */
    private SocketOption<?> jdkOptionFor(KeepaliveOption option) {
        if (option.linuxOnly()) {
            throw new UnsupportedOperationException(option.kernelName() + " is a Linux socket option and this is " + platform);
        }
        SocketOption<?> jdkOption = JdkSocketOptions.of(option);
        if (jdkOption == null || jdkOptions == null || !jdkOptions.supports(jdkOption)) {
            throw new UnsupportedOperationException("this JDK offers no " + (jdkOption == null ? option.kernelName()
                    : jdkOption.name()) + " on " + platform + ", and Linux's number for it means another option there");
        }
        return jdkOption;
    }

    /**
     * Whether {@code fd} still refers to an IP socket. When an app closes a socket that another
     * thread uses, the JDK first swaps a placeholder (a closed Unix-domain socket) into its
     * descriptor, and options set then fail with "Operation not supported": the app's own close,
     * not the platform refusing anything.
     */
    boolean isIpSocket(FileDescriptor fd) {
        if (!platform.takesLinuxNumbers()) {
            return fd.valid(); // SO_DOMAIN is Linux's
        }
        try {
            int domain = (int) getIntOption.invokeExact(fd, false, SOL_SOCKET, SO_DOMAIN);
            return domain == AF_INET || domain == AF_INET6;
        } catch (IOException closed) {
            return false;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Whether {@code fd} is a TCP socket over IPv4 or IPv6, as the kernel says (its family, type and
     * protocol: not a Unix-domain or UDP socket, nor SCTP or MPTCP, which are streams too); false once
     * closed, and anywhere but on Linux, whose numbers these are.
     */
    boolean isTcpSocket(FileDescriptor fd) {
        if (!platform.takesLinuxNumbers() || !isIpSocket(fd)) {
            return false;
        }
        try {
            return getInt(fd, SOL_SOCKET, SO_TYPE) == SOCK_STREAM && getInt(fd, SOL_SOCKET, SO_PROTOCOL) == IPPROTO_TCP;
        } catch (IOException closed) {
            return false;
        }
    }

    /**
     * The connection's state, retransmissions and unanswered keepalive probes as the kernel has them:
     * the first four single-byte fields of {@code struct tcp_info}, read together as one int.
     */
    dev.keepaliveagent.diagnose.TcpState tcpState(FileDescriptor fd) throws IOException {
        if (!platform.takesLinuxNumbers()) {
            throw new IOException("TCP_INFO is read on Linux only"); // the cause is then told by the exception alone
        }
        return dev.keepaliveagent.diagnose.TcpState.fromTcpInfoHead(getInt(fd, TCP_INFO),
                java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN);
    }

    private int getInt(FileDescriptor fd, int option) throws IOException {
        return getInt(fd, IPPROTO_TCP, option);
    }

    /**
     * {@code getsockopt(fd, level, option)} of an int option, as the kernel has it. Elsewhere than on Linux
     * the (level, option) pair, Linux's, names the keepalive option to read through the JDK.
     */
    int getInt(FileDescriptor fd, int level, int option) throws IOException {
        if (!platform.takesLinuxNumbers()) {
            return throughTheJdk(fd, level, option);
        }
        try {
            return (int) getIntOption.invokeExact(fd, false, level, option);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
    }

    private int throughTheJdk(FileDescriptor fd, int level, int number) throws IOException {
        try {
            if (level == SOL_SOCKET && number == SO_KEEPALIVE) {
                return Boolean.TRUE.equals(netGetSocketOption.invokeExact(fd, (SocketOption<?>) JdkSocketOptions.KEEPALIVE)) ? 1 : 0;
            }
            for (KeepaliveOption option : KeepaliveOption.all()) {
                if (option.level() == level && option.linuxNumber() == number && !option.linuxOnly()) {
                    Object value = JdkSocketOptions.isStandard(option)
                            ? netGetSocketOption.invokeExact(fd, JdkSocketOptions.of(option))
                            : jdkOptionsGet(fd, option);
                    return (Integer) value;
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
        throw new UnsupportedOperationException("option " + level + "/" + number + " is read on Linux only");
    }
}
