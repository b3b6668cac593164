package dev.keepaliveagent.config;

import static dev.keepaliveagent.config.InputText.printable;
import static dev.keepaliveagent.config.InputText.wholeNumber;

import java.util.Locale;

/**
 * How a socket option's value is written wherever the agent reads it (agent arguments, {@code -D},
 * environment, config file, rules) and printed (the start-up line, the MBean, logs): the one parser
 * of every option's value. A refusal names the key, the value, where it came from and what is accepted.
 * (One body for all constants rather than one each: each would be one more class loaded before {@code main}.)
 */
enum ValueSyntax {

    /** Whole seconds: {@code 600}, or with a unit: {@code 90s}, {@code 10m}, {@code 2h}, {@code 600000ms}. */
    SECONDS,
    /**
     * A duration, kept in milliseconds, always with its unit: {@code 30s}, {@code 2m}, {@code 1500ms}. A bare
     * number is refused: it was once read as milliseconds, where every other time option reads seconds.
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
    int read(KeepaliveOption option, Sourced sourced) throws InvalidArgumentException {
        String lower = sourced.value.toLowerCase(Locale.ROOT);
        if (option.mayBeOff() && lower.equals("off")) {
            return OFF;
        }
        if (option.autoMeaning() != null && lower.equals("auto")) {
            return AUTO;
        }
        if (this == SECONDS || this == MILLISECONDS) {
            return duration(option, sourced);
        }
        return inRange(option, sourced, wholeNumber(sourced.value), this == COUNT ? "a number" : "a number of bytes");
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
            return "expected seconds as 600, or with a unit (ms, s, m, h) as 90s, 10m, 2h, " + range + " seconds";
        } else if (this == MILLISECONDS) {
            return "expected a duration with its unit (ms, s, m, h) as 30s, 2m, 1500ms, 1s.." + option.max() + "ms"
                    + alternatives(option);
        } else if (this == COUNT) {
            return "expected a whole number of " + option.countOf() + " " + range + alternatives(option);
        }
        return "expected a number of bytes " + range + alternatives(option);
    }

    /**
     * One grammar for every time option: digits, then {@code ms}, {@code s}, {@code m} or {@code h} in lower
     * case ({@code 10M} is not ten minutes: refused, not guessed); a bare number is seconds where the option
     * is set in seconds.
     */
    private int duration(KeepaliveOption option, Sourced sourced) throws InvalidArgumentException {
        String value = sourced.value;
        int digits = 0;
        while (digits < value.length() && value.charAt(digits) >= '0' && value.charAt(digits) <= '9') {
            digits++;
        }
        String unit = value.substring(digits);
        String given = option.key() + "=" + printable(value);
        if (digits == 0 || !unit.matches("[A-Za-z]*")) {
            throw new InvalidArgumentException(given + " is not a duration" + sourced.from() + "; " + option.expected());
        }
        long unitMillis;
        switch (unit) {
            case "ms": unitMillis = 1; break;
            case "s": unitMillis = 1000; break;
            case "m": unitMillis = 60_000; break;
            case "h": unitMillis = 3_600_000; break;
            case "":
                if (this == MILLISECONDS) {
                    throw new InvalidArgumentException(given + " has no unit" + sourced.from() + " (a bare number was once"
                            + " read as milliseconds, so it is refused, not guessed): write " + given + "s for seconds, "
                            + given + "ms for milliseconds; " + option.expected());
                }
                unitMillis = 1000;
                break;
            default:
                String lower = unit.toLowerCase(Locale.ROOT);
                boolean wrongCase = lower.equals("ms") || lower.equals("s") || lower.equals("m") || lower.equals("h");
                throw new InvalidArgumentException(given + " has an unknown unit '" + printable(unit) + "'" + sourced.from()
                        + (wrongCase ? ": units are lower case (" + printable(value.substring(0, digits)) + lower + ")" : "")
                        + "; " + option.expected());
        }
        long number = wholeNumber(value.substring(0, digits));
        if (number < 0 || number > Integer.MAX_VALUE) {
            throw new InvalidArgumentException(given + " is out of range" + sourced.from() + "; " + option.expected());
        }
        long millis = number * unitMillis;
        if (this == SECONDS) {
            if (millis % 1000 != 0) {
                throw new InvalidArgumentException(given + " is not whole seconds" + sourced.from() + " (" + option.kernelName()
                        + " is set in seconds); " + option.expected());
            }
            return inRange(option, sourced, millis / 1000, "a duration");
        }
        return inRange(option, sourced, millis, "a duration");
    }

    private static String alternatives(KeepaliveOption option) {
        return (option.autoMeaning() == null ? "" : ", or auto (" + option.autoMeaning() + ")") + (option.mayBeOff() ? ", or off" : "");
    }

    private static int inRange(KeepaliveOption option, Sourced sourced, long number, String what)
            throws InvalidArgumentException {
        String given = option.key() + "=" + printable(sourced.value);
        if (number < 0) {
            throw new InvalidArgumentException(given + " is not " + what + sourced.from() + "; " + option.expected());
        }
        if (number < option.min() || number > option.max()) {
            throw new InvalidArgumentException(given + " is out of range" + sourced.from() + "; " + option.expected());
        }
        return (int) number;
    }
}
