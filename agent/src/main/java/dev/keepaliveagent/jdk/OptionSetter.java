package dev.keepaliveagent.jdk;

import dev.keepaliveagent.config.KeepaliveOption;
import java.io.FileDescriptor;
import java.io.IOException;

/** Sets and reads socket options on a descriptor: {@link JdkSockets} in production, the seam where tests make the platform refuse. */
public interface OptionSetter {
    void set(FileDescriptor fd, KeepaliveOption option, int value) throws IOException;

    /** SO_KEEPALIVE on. */
    void switchKeepaliveOn(FileDescriptor fd) throws IOException;

    /** False once the app has closed (or begun to close) the socket. */
    boolean isOpenIpSocket(FileDescriptor fd);

    /** {@code getsockopt} of an int option, as the kernel has it. */
    int get(FileDescriptor fd, int level, int option) throws IOException;
}
