package dev.keepaliveagent.instrument;

import dev.keepaliveagent.boot.Switchboard;
import java.io.FileDescriptor;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the start of the dispatcher's {@code close(FileDescriptor)}, where every JDK socket and
 * channel is finally closed, so that the agent forgets the socket at once rather than when the
 * garbage collector gets to it.
 */
final class CloseAdvice {

    private CloseAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.Argument(0) FileDescriptor fd) {
        Switchboard.closing(fd);
    }
}
