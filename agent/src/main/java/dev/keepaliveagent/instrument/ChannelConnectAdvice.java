package dev.keepaliveagent.instrument;

import dev.keepaliveagent.boot.Switchboard;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the end of the method of a Netty native transport that starts a connect (epoll's
 * {@code AbstractEpollChannel.doConnect}, io_uring's {@code submitConnect}): the socket exists and
 * the app's bootstrap options are already set on it.
 */
final class ChannelConnectAdvice {

    private ChannelConnectAdvice() {
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(@Advice.This Object channel, @Advice.Argument(0) Object remote, @Advice.Thrown Throwable thrown) {
        if (thrown == null) {
            Switchboard.channelConnected(channel, remote);
        }
    }
}
