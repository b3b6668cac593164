package dev.keepaliveagent.it;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;

/** Netty 4.2's io_uring transport, in a class of its own so that runs on Netty 4.1 never load it. */
final class NettyUring {

    private NettyUring() {
    }

    static EventLoopGroup group() {
        if (!IoUring.isAvailable()) {
            throw new IllegalStateException("io_uring is not available", IoUring.unavailabilityCause());
        }
        return new MultiThreadIoEventLoopGroup(2, IoUringIoHandler.newFactory());
    }

    static Class<? extends ServerChannel> serverChannel() {
        return IoUringServerSocketChannel.class;
    }

    static Class<? extends Channel> clientChannel() {
        return IoUringSocketChannel.class;
    }

    static ChannelOption<Integer> idle() {
        return IoUringChannelOption.TCP_KEEPIDLE;
    }

    static ChannelOption<Integer> interval() {
        return IoUringChannelOption.TCP_KEEPINTVL;
    }

    static ChannelOption<Integer> count() {
        return IoUringChannelOption.TCP_KEEPCNT;
    }
}
