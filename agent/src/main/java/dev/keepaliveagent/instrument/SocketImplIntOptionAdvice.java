package dev.keepaliveagent.instrument;

import dev.keepaliveagent.boot.Switchboard;
import java.io.FileDescriptor;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the start and the end of {@code java.net.AbstractPlainSocketImpl.setOption(int, Object)}
 * on JDK 8 to 12, where {@code Socket.setKeepAlive} and {@code setOption(SO_KEEPALIVE, …)} end, so that
 * an app cannot switch keepalive off, as {@link SetOptionAdvice}.
 */
final class SocketImplIntOptionAdvice {

    private SocketImplIntOptionAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.FieldValue("fd") FileDescriptor fd,
                      @Advice.Argument(0) int option,
                      @Advice.Argument(value = 1, readOnly = false) Object value) {
        value = Switchboard.intOptionSet(fd, option, value);
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.FieldValue("fd") FileDescriptor fd, @Advice.Argument(0) int option,
                     @Advice.Argument(1) Object value) {
        if (option == 0x0008) { // SocketOptions.SO_KEEPALIVE
            Switchboard.optionWasSet(fd, java.net.StandardSocketOptions.SO_KEEPALIVE, value);
        }
    }
}
