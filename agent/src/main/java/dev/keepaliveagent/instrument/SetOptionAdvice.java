package dev.keepaliveagent.instrument;

import dev.keepaliveagent.boot.Switchboard;
import java.io.FileDescriptor;
import java.net.SocketOption;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the start of {@code sun.nio.ch.Net.setSocketOption(FileDescriptor, ProtocolFamily,
 * SocketOption, Object)}, where every socket option set on a JDK TCP socket or channel passes, so
 * that an app cannot switch keepalive off or make it laxer than configured; and at its end, so that a
 * value let through on a socket not configured yet cannot undo a configure that came meanwhile.
 */
final class SetOptionAdvice {

    private SetOptionAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.Argument(0) FileDescriptor fd,
                      @Advice.Argument(2) SocketOption<?> name,
                      @Advice.Argument(value = 3, readOnly = false) Object value) {
        value = Switchboard.optionSet(fd, name, value);
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.Argument(0) FileDescriptor fd, @Advice.Argument(2) SocketOption<?> name,
                     @Advice.Argument(3) Object value) {
        Switchboard.optionWasSet(fd, name, value);
    }
}
