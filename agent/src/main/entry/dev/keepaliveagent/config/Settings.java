package dev.keepaliveagent.config;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * The settings one connection gets: a value for each {@link KeepaliveOption}, immutable. With the
 * keepalive options, after {@code idle} seconds without traffic the kernel sends a probe, then one every
 * {@code intvl} seconds, and gives up after {@code cnt} unanswered probes; and, with data in flight,
 * after {@code utimeout} milliseconds without an acknowledgement. A value of 0 ({@code off}) leaves the
 * kernel's own alone.
 */
public final class Settings {

    /** What the start-up line says of a {@code utimeout=auto} that came out off. */
    static final String AUTO_TURNED_OFF = "auto, as idle + intvl × cnt is longer than the kernel's own limit";

    private final int[] values;
    private final String text;

    private Settings(int[] values) {
        this.values = values;
        StringBuilder text = new StringBuilder();
        for (KeepaliveOption option : KeepaliveOption.all()) {
            if (isSet(option)) {
                text.append(text.length() == 0 ? "" : " ").append(option.key()).append('=').append(option.text(get(option)));
            }
        }
        this.text = text.toString();
    }

    /** Every option at its declared default, {@code auto} not yet worked out ({@link #withAutoWorkedOut}). */
    static Settings declaredDefaults() {
        List<KeepaliveOption> all = KeepaliveOption.all();
        int[] values = new int[all.size()];
        for (KeepaliveOption option : all) {
            values[option.index()] = option.defaultValue();
        }
        return new Settings(values);
    }

    /** These settings with {@code option} at {@code value}. */
    public Settings with(KeepaliveOption option, int value) {
        if (values[option.index()] == value) {
            return this;
        }
        int[] changed = values.clone();
        changed[option.index()] = value;
        return new Settings(changed);
    }

    /** Its value; 0 where the agent leaves the kernel's own. */
    public int get(KeepaliveOption option) {
        return values[option.index()];
    }

    /** Whether the agent sets it (not {@code off}). */
    public boolean isSet(KeepaliveOption option) {
        return values[option.index()] != ValueSyntax.OFF;
    }

    /**
     * {@code utimeout=auto} worked out from the keepalive settings, so that data in flight is given up as soon
     * as an idle peer would be; but never later than the kernel gives it up by itself: beyond its limit, off.
     */
    Settings withAutoWorkedOut(RetransmissionLimit kernel) {
        KeepaliveOption userTimeout = KeepaliveOption.UTIMEOUT;
        if (get(userTimeout) != ValueSyntax.AUTO) {
            return this;
        }
        long derived = (get(KeepaliveOption.IDLE) + (long) get(KeepaliveOption.INTVL) * get(KeepaliveOption.CNT)) * 1000;
        return with(userTimeout, derived <= kernel.millis() ? (int) Math.min(derived, Integer.MAX_VALUE) : ValueSyntax.OFF);
    }

    /**
     * These settings, with each value an app chose itself ({@code chosen}; 0 or less: none) taking its place
     * where it is stricter (smaller), or, for an option where that means nothing, in any case. Returns this
     * object when nothing changes.
     */
    public Settings withStricter(ToIntFunction<KeepaliveOption> chosen) {
        int[] stricter = values.clone();
        for (KeepaliveOption option : KeepaliveOption.all()) {
            int choice = chosen.applyAsInt(option);
            int limit = values[option.index()];
            if (choice > 0 && (option.smallerIsStricter() ? choice < limit : choice != limit)) {
                stricter[option.index()] = choice;
            }
        }
        return Arrays.equals(stricter, values) ? this : new Settings(stricter);
    }

    /**
     * The longest a dead, idle peer can go unnoticed: {@code idle + intvl × cnt}. With a user timeout the
     * kernel ignores {@code cnt}: it gives up at the first probe's turn, after at least one probe, when
     * nothing has been heard for {@code utimeout} ({@code tcp_keepalive_timer}).
     */
    public long deadPeerBoundSeconds() {
        int idle = get(KeepaliveOption.IDLE);
        int interval = get(KeepaliveOption.INTVL);
        int userTimeout = get(KeepaliveOption.UTIMEOUT);
        if (userTimeout <= 0) {
            return idle + (long) interval * get(KeepaliveOption.CNT);
        }
        long afterIdle = userTimeout - idle * 1000L;
        long intervalMillis = interval * 1000L;
        long probes = Math.max(1, (afterIdle + intervalMillis - 1) / intervalMillis);
        return idle + interval * probes;
    }

    /** Its value as the start-up line and the MBean print it: {@code 600s}, {@code 4}, {@code 500ms}, {@code off}. */
    public String text(KeepaliveOption option) {
        return option.text(get(option));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Settings && Arrays.equals(values, ((Settings) other).values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    /** The options the agent sets, with their values: {@code idle=600s intvl=60s cnt=20 utimeout=1800s}. */
    @Override
    public String toString() {
        return text;
    }
}
