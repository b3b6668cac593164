package dev.keepaliveagent.tune;

import java.net.SocketOption;
import java.net.StandardSocketOptions;
import jdk.net.ExtendedSocketOptions;

/** The four socket options that make up keepalive, and how each relates to the settings. */
final class KeepaliveOptions {

    static final SocketOption<Boolean> KEEPALIVE = StandardSocketOptions.SO_KEEPALIVE;
    static final SocketOption<Integer> IDLE = ExtendedSocketOptions.TCP_KEEPIDLE;
    static final SocketOption<Integer> INTERVAL = ExtendedSocketOptions.TCP_KEEPINTERVAL;
    static final SocketOption<Integer> COUNT = ExtendedSocketOptions.TCP_KEEPCOUNT;

    private KeepaliveOptions() {
    }

    static boolean isKeepaliveOption(SocketOption<?> option) {
        return option == KEEPALIVE || option == IDLE || option == INTERVAL || option == COUNT;
    }
}
