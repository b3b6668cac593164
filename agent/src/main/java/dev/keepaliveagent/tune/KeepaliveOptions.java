package dev.keepaliveagent.tune;

import java.net.SocketOption;
import java.net.StandardSocketOptions;

/**
 * The four socket options that make up keepalive, and how each relates to the settings. The
 * {@code TCP_KEEP*} ones are {@code jdk.net.ExtendedSocketOptions}'s own, so that an app's call with
 * them is recognised; on a JDK without them (8 before 8u272) no app can name them, and the agent's
 * stand-ins only label what it sets through the generic setsockopt ({@link SocketOptionWriter}).
 */
final class KeepaliveOptions {

    static final SocketOption<Boolean> KEEPALIVE = StandardSocketOptions.SO_KEEPALIVE;
    static final SocketOption<Integer> IDLE = extended("TCP_KEEPIDLE");
    static final SocketOption<Integer> INTERVAL = extended("TCP_KEEPINTERVAL");
    static final SocketOption<Integer> COUNT = extended("TCP_KEEPCOUNT");

    private KeepaliveOptions() {
    }

    static boolean isKeepaliveOption(SocketOption<?> option) {
        return option == KEEPALIVE || option == IDLE || option == INTERVAL || option == COUNT;
    }

    @SuppressWarnings("unchecked")
    private static SocketOption<Integer> extended(String name) {
        try {
            return (SocketOption<Integer>) Class.forName("jdk.net.ExtendedSocketOptions").getField(name).get(null);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException notOnThisJdk) {
            return new StandIn(name);
        }
    }

    private static final class StandIn implements SocketOption<Integer> {
        private final String name;

        StandIn(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Class<Integer> type() {
            return Integer.class;
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
