package dev.keepaliveagent.config;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The one parser of the agent argument string, {@code key=value} pairs separated by commas, e.g.
 * {@code idle=600,intvl=60,cnt=20,log=info}. Every refusal is a single line naming the key, the
 * value and what is accepted, because the JVM shows it instead of starting the app.
 */
public final class AgentArguments {

    static final String IDLE = "idle";
    static final String INTVL = "intvl";
    static final String CNT = "cnt";
    static final String LOG = "log";
    static final String LOGFILE = "logfile";
    static final String CACHE = "cache";

    private static final String ACCEPTED_KEYS = "idle, intvl, cnt, log, logfile, cache";
    private static final String DURATION_FORMS = "seconds as 600, or with a unit as 90s, 10m, 2h";

    private AgentArguments() {
    }

    public static AgentConfig parse(String arguments) throws InvalidArgumentException {
        Map<String, String> values = split(arguments == null ? "" : arguments);
        KeepaliveSettings defaults = AgentConfig.DEFAULT_SETTINGS;
        int idle = values.containsKey(IDLE) ? seconds(IDLE, values.get(IDLE)) : defaults.idleSeconds();
        int intvl = values.containsKey(INTVL) ? seconds(INTVL, values.get(INTVL)) : defaults.intervalSeconds();
        int cnt = values.containsKey(CNT) ? count(values.get(CNT)) : defaults.probeCount();
        LogLevel logLevel = values.containsKey(LOG) ? logLevel(values.get(LOG)) : LogLevel.INFO;
        String logFile = values.get(LOGFILE);
        String cache = values.get(CACHE);

        Map<String, String> sources = new HashMap<>();
        for (String key : values.keySet()) {
            sources.put(key, "args");
        }
        return new AgentConfig(new KeepaliveSettings(idle, intvl, cnt), logLevel, logFile, cache, sources);
    }

    private static Map<String, String> split(String arguments) throws InvalidArgumentException {
        Map<String, String> values = new HashMap<>();
        for (String item : arguments.split(",", -1)) {
            String pair = item.trim();
            if (pair.isEmpty()) {
                continue; // a stray comma ("idle=600,") is harmless
            }
            int eq = pair.indexOf('=');
            if (eq < 0) {
                throw new InvalidArgumentException("'" + printable(pair) + "' is not a key=value pair;"
                        + " write options as key=value separated by commas, e.g. idle=600,intvl=60,cnt=20"
                        + " (accepted keys: " + ACCEPTED_KEYS + ")");
            }
            String key = pair.substring(0, eq).trim();
            String value = pair.substring(eq + 1).trim();
            if (!isKnown(key)) {
                throw new InvalidArgumentException("unknown option '" + printable(key) + "' in '"
                        + printable(pair) + "'; accepted keys: " + ACCEPTED_KEYS);
            }
            if (value.isEmpty()) {
                throw new InvalidArgumentException(key + "= has no value; " + expected(key));
            }
            String earlier = values.putIfAbsent(key, value);
            if (earlier != null) {
                throw new InvalidArgumentException(key + " is given twice (" + key + "=" + printable(earlier)
                        + " and " + key + "=" + printable(value) + "); give each option once");
            }
        }
        return values;
    }

    private static boolean isKnown(String key) {
        return key.equals(IDLE) || key.equals(INTVL) || key.equals(CNT) || key.equals(LOG) || key.equals(LOGFILE)
                || key.equals(CACHE);
    }

    private static String expected(String key) {
        switch (key) {
            case IDLE:
            case INTVL:
                return "expected " + DURATION_FORMS + ", 1.." + KeepaliveSettings.MAX_SECONDS + " seconds";
            case CNT:
                return "expected a whole number of probes 1.." + KeepaliveSettings.MAX_COUNT;
            case LOG:
                return "expected one of off, error, warn, info, debug";
            case CACHE:
                return "expected a directory path, or off";
            default:
                return "expected a file path";
        }
    }

    private static int seconds(String key, String value) throws InvalidArgumentException {
        String lower = value.toLowerCase(Locale.ROOT);
        long unit = 1;
        String digits = lower;
        char last = lower.charAt(lower.length() - 1);
        if (last == 's' || last == 'm' || last == 'h') {
            unit = last == 's' ? 1 : last == 'm' ? 60 : 3600;
            digits = lower.substring(0, lower.length() - 1);
        }
        long number = wholeNumber(digits);
        if (number < 0) {
            throw new InvalidArgumentException(key + "=" + printable(value) + " is not a duration; " + expected(key));
        }
        if (number * unit < 1 || number * unit > KeepaliveSettings.MAX_SECONDS) {
            throw new InvalidArgumentException(key + "=" + printable(value) + " is out of range; " + expected(key));
        }
        return (int) (number * unit);
    }

    private static int count(String value) throws InvalidArgumentException {
        long number = wholeNumber(value);
        if (number < 0) {
            throw new InvalidArgumentException(CNT + "=" + printable(value) + " is not a number; " + expected(CNT));
        }
        if (number < 1 || number > KeepaliveSettings.MAX_COUNT) {
            throw new InvalidArgumentException(CNT + "=" + printable(value) + " is out of range; " + expected(CNT));
        }
        return (int) number;
    }

    /** The value of a string of ASCII digits (huge ones capped, as they are out of range anyway); -1 if not digits. */
    private static long wholeNumber(String digits) {
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return digits.length() > 9 ? Integer.MAX_VALUE : Long.parseLong(digits);
    }

    private static LogLevel logLevel(String value) throws InvalidArgumentException {
        for (LogLevel level : LogLevel.values()) {
            if (level.keyword().equals(value.toLowerCase(Locale.ROOT))) {
                return level;
            }
        }
        throw new InvalidArgumentException(LOG + "=" + printable(value) + " is not accepted; " + expected(LOG));
    }

    /** Keeps the refusal on one readable line whatever bytes the user passed. */
    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < text.length() && shown < 60; i++, shown++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (text.length() > 60) {
            out.append("...");
        }
        return out.toString();
    }
}
