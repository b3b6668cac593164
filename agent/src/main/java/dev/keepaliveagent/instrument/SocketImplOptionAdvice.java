package dev.keepaliveagent.instrument;

import dev.keepaliveagent.boot.Switchboard;
import java.io.FileDescriptor;
import java.net.SocketOption;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the start and the end of {@code java.net.PlainSocketImpl.setOption(SocketOption, Object)}
 * on JDK 8 to 12, where {@code Socket.setOption(TCP_KEEPIDLE, …)} and the other extended options end,
 * so that an app cannot make keepalive laxer than configured, as {@link SetOptionAdvice}.
 */
final class SocketImplOptionAdvice {

    private SocketImplOptionAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.FieldValue("fd") FileDescriptor fd,
                      @Advice.Argument(0) SocketOption<?> name,
                      @Advice.Argument(value = 1, readOnly = false) Object value) {
        value = Switchboard.optionSet(fd, name, value);
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.FieldValue("fd") FileDescriptor fd, @Advice.Argument(0) SocketOption<?> name,
                     @Advice.Argument(1) Object value) {
        Switchboard.optionWasSet(fd, name, value);
    }
}
