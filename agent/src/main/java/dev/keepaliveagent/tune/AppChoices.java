package dev.keepaliveagent.tune;

import dev.keepaliveagent.config.KeepaliveSettings;
import java.net.SocketOption;

/**
 * The keepalive values an app set on a socket before it connected. The rule: an app may make
 * keepalive stricter than configured, never laxer or off; so at connect these stand where they
 * are stricter.
 */
final class AppChoices {

    private volatile int idle;
    private volatile int interval;
    private volatile int count;

    void record(SocketOption<?> option, Object value) {
        if (!(value instanceof Integer) || (Integer) value <= 0) {
            return;
        }
        int seconds = (Integer) value;
        if (option == KeepaliveOptions.IDLE) {
            idle = seconds;
        } else if (option == KeepaliveOptions.INTERVAL) {
            interval = seconds;
        } else if (option == KeepaliveOptions.COUNT) {
            count = seconds;
        }
    }

    /** {@code limit}, with each value the app chose that is stricter (smaller) taking its place. */
    KeepaliveSettings within(KeepaliveSettings limit) {
        if (idle == 0 && interval == 0 && count == 0) {
            return limit; // the app chose nothing: the common case, without an allocation
        }
        return limit.withStricter(idle, interval, count, 0);
    }
}
