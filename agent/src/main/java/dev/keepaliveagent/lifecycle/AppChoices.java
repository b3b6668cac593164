package dev.keepaliveagent.lifecycle;

import dev.keepaliveagent.config.KeepaliveOption;
import dev.keepaliveagent.config.Settings;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The option values an app set on a connection before the agent configured it. The rule: an app may
 * make keepalive stricter than configured, never laxer or off; so at configure these stand where they
 * are stricter ({@link Settings#withStricter}).
 */
public final class AppChoices {

    /** By {@link KeepaliveOption#index()}; 0: none chosen. */
    private final AtomicIntegerArray chosen = new AtomicIntegerArray(KeepaliveOption.all().size());
    private volatile boolean any;

    /** {@code value} as the app gave it: anything but a positive Integer is no choice. */
    public void record(KeepaliveOption option, Object value) {
        if (option == null || !(value instanceof Integer) || (Integer) value <= 0) {
            return;
        }
        chosen.set(option.index(), (Integer) value);
        any = true;
    }

    /** {@code limit}, with each value the app chose that is stricter taking its place. */
    Settings within(Settings limit) {
        if (!any) {
            return limit; // the app chose nothing: the common case, without an allocation
        }
        return limit.withStricter(option -> chosen.get(option.index()));
    }
}
