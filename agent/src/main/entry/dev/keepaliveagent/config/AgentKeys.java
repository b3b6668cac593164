package dev.keepaliveagent.config;

import static dev.keepaliveagent.config.InputText.printable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Every key the agent accepts: the socket options' ({@link KeepaliveOption}), then its own, with what each accepts. */
final class AgentKeys {

    static final String ENABLED = "enabled";
    static final String RULES = "rules";
    static final String LOG = "log";
    static final String LOGFILE = "logfile";
    static final String LOGFORMAT = "logformat";
    static final String LOGTIME = "logtime";
    static final String CACHE = "cache";
    static final String CONFIG = "config";

    /** Every key, in the order the refusals list them. */
    static final List<String> ALL = all();

    private AgentKeys() {
    }

    private static List<String> all() {
        List<String> keys = new ArrayList<>();
        for (KeepaliveOption option : KeepaliveOption.all()) {
            keys.add(option.key());
        }
        keys.addAll(Arrays.asList(ENABLED, RULES, LOG, LOGFILE, LOGFORMAT, LOGTIME, CACHE, CONFIG));
        return Collections.unmodifiableList(keys);
    }

    /** What a refusal of {@code key} says is accepted: "expected ...". */
    static String expected(String key) {
        KeepaliveOption option = KeepaliveOption.withKey(key);
        if (option != null) {
            return option.expected();
        }
        switch (key) {
            case ENABLED:
                return "expected true (the default) or false (the agent does nothing in this JVM: no hook, no socket"
                        + " option; read before any other setting, so it switches off a broken one)";
            case LOG:
                return "expected one of off, error, warn, info, debug";
            case LOGFORMAT:
                return "expected text (one plain line each, the default) or json (one JSON object per line)";
            case LOGTIME:
                return "expected on (each text line starts with its time; the default with logfile=) or off (the default"
                        + " on standard error)";
            case CACHE:
                return "expected a directory path, or off";
            case RULES:
                return "expected rules as CONDITIONS => SETTINGS separated by ';'";
            case CONFIG:
                return "expected a config file path";
            default:
                return "expected a file path";
        }
    }

    static boolean trueOrFalse(String key, Sourced sourced) throws InvalidArgumentException {
        return either(key, sourced, "true", "false");
    }

    static boolean onOrOff(String key, Sourced sourced) throws InvalidArgumentException {
        return either(key, sourced, "on", "off");
    }

    /** True for {@code yes}, false for {@code no}, in any case; refused otherwise. */
    private static boolean either(String key, Sourced sourced, String yes, String no) throws InvalidArgumentException {
        String lower = sourced.value.toLowerCase(Locale.ROOT);
        if (lower.equals(yes) || lower.equals(no)) {
            return lower.equals(yes);
        }
        throw new InvalidArgumentException(key + "=" + printable(sourced.value) + " is not accepted" + sourced.from()
                + "; " + expected(key));
    }

    /** The constant whose lower-case name is the value, in any case: {@code log=WARN}, {@code logformat=json}. */
    static <E extends Enum<E>> E oneOf(String key, Sourced sourced, E[] accepted) throws InvalidArgumentException {
        for (E value : accepted) {
            if (value.name().toLowerCase(Locale.ROOT).equals(sourced.value.toLowerCase(Locale.ROOT))) {
                return value;
            }
        }
        throw new InvalidArgumentException(key + "=" + printable(sourced.value) + " is not accepted" + sourced.from()
                + "; " + expected(key));
    }
}
