package dev.keepaliveagent.lifecycle;

import dev.keepaliveagent.config.KeepaliveOption;
import dev.keepaliveagent.diagnose.TcpState;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * One TCP connection as the {@link Lifecycle} reaches it: a JDK socket through its descriptor, a Netty
 * channel through Netty's options. Each call is a system call or two at most.
 */
public interface Endpoint {

    /** Who sets the options, as a refusal names it. */
    String THE_PLATFORM = "the platform";

    /** Whether the agent sets {@code option} here at all: one it cannot is said once at start-up, not per connection. */
    boolean canSet(KeepaliveOption option);

    /** Whether an app could have set {@code option} itself, so that the value it has is somebody's choice. */
    boolean appCanSet(KeepaliveOption option);

    /** @throws Exception what the platform (or Netty) refused it with */
    void set(KeepaliveOption option, int value) throws Exception;

    /** SO_KEEPALIVE on. @throws Exception what the platform (or Netty) refused it with */
    void switchKeepaliveOn() throws Exception;

    /** SO_KEEPALIVE as the kernel has it. @throws IOException where it is closed meanwhile, or cannot be read */
    boolean keepaliveOn() throws IOException;

    /** {@code option} as the kernel has it. @throws IOException where it is closed meanwhile, or cannot be read */
    int get(KeepaliveOption option) throws IOException;

    /** False once the app has closed (or begun to close) it. */
    boolean isOpen();

    /** Its local address; null where unknown, or gone. */
    InetSocketAddress local();

    /** Its state as the kernel has it now; null where unknown, or gone. */
    TcpState tcpState();

    /** Who sets its options, in a warning: {@link #THE_PLATFORM}, or e.g. "Netty (epoll)". */
    String setter();
}
