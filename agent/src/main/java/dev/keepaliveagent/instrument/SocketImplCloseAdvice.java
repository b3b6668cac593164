package dev.keepaliveagent.instrument;

import dev.keepaliveagent.boot.Switchboard;
import java.io.FileDescriptor;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the start of {@code java.net.AbstractPlainSocketImpl.close()} on JDK 11 and 12, where
 * every {@code java.net.Socket} is closed, so that the agent forgets it at once.
 */
final class SocketImplCloseAdvice {

    private SocketImplCloseAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.FieldValue("fd") FileDescriptor fd) {
        Switchboard.closing(fd);
    }
}
