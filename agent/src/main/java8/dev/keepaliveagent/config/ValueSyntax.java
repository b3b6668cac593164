package dev.keepaliveagent.config;

import static dev.keepaliveagent.config.InputText.printable;
import static dev.keepaliveagent.config.InputText.wholeNumber;

import java.util.List;
import java.util.Locale;

/**
 * How a socket option's value is written wherever the agent reads it (agent arguments, {@code -D},
 * environment, config file, rules) and printed (the start-up line, the MBean, logs): the one parser
 * of every option's value. A refusal names the key, the value, where it came from and what is accepted.
 * (One body for all constants rather than one each: each would be one more class loaded before {@code main}.)
 */
enum ValueSyntax {

    /** Whole seconds: {@code 600}, or with a unit: {@code 90s}, {@code 10m}, {@code 2h}. */
    SECONDS,
    /**
     * A duration with its unit, kept in milliseconds: {@code 500ms}, {@code 30s}, {@code 2m}; a bare number
     * is still read as milliseconds, as it always was, with a warning, since everywhere else it means seconds.
     */
    MILLISECONDS,
    /** A whole number of things, named by the option: {@code cnt=4} (probes). */
    COUNT,
    /** A number of bytes: {@code 16384}. */
    BYTES;

    /** The value of {@code auto}, where an option accepts it: worked out from the other settings. */
    static final int AUTO = -1;
    /** The value of {@code off}, where an option accepts it: the agent leaves the kernel's value alone. */
    static final int OFF = 0;

    /** The value in this syntax, {@link #OFF} or {@link #AUTO} where the option accepts them. */
    int read(KeepaliveOption option, Sourced sourced, List<String> warnings) throws InvalidArgumentException {
        String lower = sourced.value.toLowerCase(Locale.ROOT);
        if (option.mayBeOff() && lower.equals("off")) {
            return OFF;
        }
        if (option.autoMeaning() != null && lower.equals("auto")) {
            return AUTO;
        }
        if (this == SECONDS) {
            return seconds(option, sourced, lower);
        } else if (this == MILLISECONDS) {
            return milliseconds(option, sourced, lower, warnings);
        }
        return inRange(option, sourced, wholeNumber(sourced.value), 1, this == COUNT ? "a number" : "a number of bytes", "");
    }

    /** As the start-up line, the MBean and the logs print a value that is set (not off). */
    String text(int value) {
        if (this == SECONDS) {
            return value + "s";
        } else if (this == MILLISECONDS) {
            return value % 1000 == 0 ? value / 1000 + "s" : value + "ms";
        }
        return String.valueOf(value);
    }

    /** What is accepted, as a refusal ends: "expected ...". */
    String expected(KeepaliveOption option) {
        String range = option.min() + ".." + option.max();
        if (this == SECONDS) {
            return "expected seconds as 600, or with a unit as 90s, 10m, 2h, " + range + " seconds";
        } else if (this == MILLISECONDS) {
            return "expected a duration with its unit as 500ms, 30s, 2m" + alternatives(option);
        } else if (this == COUNT) {
            return "expected a whole number of " + option.countOf() + " " + range + alternatives(option);
        }
        return "expected a number of bytes " + range + alternatives(option);
    }

    private static int seconds(KeepaliveOption option, Sourced sourced, String lower) throws InvalidArgumentException {
        long unit = 1;
        String digits = lower;
        char last = lower.isEmpty() ? ' ' : lower.charAt(lower.length() - 1);
        if (last == 's' || last == 'm' || last == 'h') {
            unit = last == 's' ? 1 : last == 'm' ? 60 : 3600;
            digits = lower.substring(0, lower.length() - 1);
        }
        return inRange(option, sourced, wholeNumber(digits), unit, "a duration", "");
    }

    private static int milliseconds(KeepaliveOption option, Sourced sourced, String lower, List<String> warnings)
            throws InvalidArgumentException {
        long unit = 1;
        String digits = lower;
        boolean bare = !lower.isEmpty() && Character.isDigit(lower.charAt(lower.length() - 1));
        if (lower.endsWith("ms")) {
            digits = lower.substring(0, lower.length() - 2);
        } else if (lower.endsWith("s") || lower.endsWith("m") || lower.endsWith("h")) {
            char last = lower.charAt(lower.length() - 1);
            unit = last == 's' ? 1000 : last == 'm' ? 60_000 : 3_600_000;
            digits = lower.substring(0, lower.length() - 1);
        }
        int millis = inRange(option, sourced, wholeNumber(digits), unit, "a duration", ", at most " + option.max() + " ms");
        String key = option.key();
        if (bare) {
            warnings.add(key + "=" + printable(sourced.value) + sourced.from() + " is read as " + millis
                    + " ms, as before, though idle and intvl read a bare number as seconds; write the unit ("
                    + key + "=" + millis + "ms, or " + key + "=" + millis + "s if seconds were meant):"
                    + " a later release will refuse a bare number");
        }
        return millis;
    }

    private static String alternatives(KeepaliveOption option) {
        return (option.autoMeaning() == null ? "" : ", or auto (" + option.autoMeaning() + ")") + (option.mayBeOff() ? ", or off" : "");
    }

    private static int inRange(KeepaliveOption option, Sourced sourced, long number, long unit, String what, String limit)
            throws InvalidArgumentException {
        String given = option.key() + "=" + printable(sourced.value);
        if (number < 0) {
            throw new InvalidArgumentException(given + " is not " + what + sourced.from() + "; " + option.expected());
        }
        if (number * unit < option.min() || number * unit > option.max()) {
            throw new InvalidArgumentException(given + " is out of range" + sourced.from() + "; " + option.expected() + limit);
        }
        return (int) (number * unit);
    }
}
