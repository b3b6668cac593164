package dev.keepaliveagent.instrument;

import dev.keepaliveagent.boot.Switchboard;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the start of {@code handleReadException(ChannelPipeline, ByteBuf, Throwable, ...)} of
 * Netty's io_uring stream channels, where a failed read completion arrives with the channel's
 * pipeline, before the pipeline is told.
 */
final class ChannelReadFailureAdvice {

    private ChannelReadFailureAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.Argument(0) Object pipeline, @Advice.Argument(2) Throwable failure) {
        Switchboard.channelPipelineReadFailed(pipeline, failure);
    }
}
