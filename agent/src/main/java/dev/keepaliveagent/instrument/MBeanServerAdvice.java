package dev.keepaliveagent.instrument;

import dev.keepaliveagent.boot.Switchboard;
import net.bytebuddy.asm.Advice;

/** Inlined at the end of {@code ManagementFactory.getPlatformMBeanServer()}. */
final class MBeanServerAdvice {

    private MBeanServerAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.Return Object server) {
        Switchboard.platformMBeanServer(server);
    }
}
