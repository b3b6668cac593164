package dev.keepaliveagent.logline;

import dev.keepaliveagent.config.LogFormat;
import dev.keepaliveagent.config.LogLevel;
import java.io.IOException;
import java.util.Map;

/**
 * One line of the agent's log written without tinylog, in the format tinylog's writer uses
 * ({@link AgentLogConfigurationLoader}): for the lines of start-up, and for those written before the
 * agent proper is loaded (a refusal, a second load), which the entry's class loader writes and which
 * must not touch tinylog.
 */
public final class LogLine {

    private LogLine() {
    }

    /** The time a stamped text line starts with, as tinylog's writer prints it too: {@code 2026-12-04T01:36:20.123+01:00}. */
    public static final String TIME_PATTERN = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";

    /** {@code [keepalive-agent] WARN: message}, or one JSON object with the fields. */
    public static String of(LogFormat format, LogLevel level, String message, Map<String, ?> fields) {
        return of(format, level, message, fields, false);
    }

    /** As {@link #of(LogFormat, LogLevel, String, Map)}, a text line starting with its time where {@code stamped}. */
    public static String of(LogFormat format, LogLevel level, String message, Map<String, ?> fields, boolean stamped) {
        if (format == LogFormat.JSON) {
            return JsonLine.of(java.time.Instant.now().toString(), level.name(), message, fields);
        }
        String line = "[keepalive-agent] " + level.name() + ": " + TextEscape.of(message);
        return stamped ? java.time.format.DateTimeFormatter.ofPattern(TIME_PATTERN, java.util.Locale.ROOT)
                .format(java.time.ZonedDateTime.now()) + " " + line : line;
    }

    /** Appends the line to {@code file}, or to standard error if there is none or it cannot be written. */
    public static void write(String line, LogFile file) {
        String text = line + System.lineSeparator();
        if (file != null && file.append(text)) {
            return;
        }
        System.err.print(text);
        System.err.flush();
    }

    /**
     * Appends the line to the file at {@code path}, opened for this line alone ({@link LogFile}), or to
     * standard error if there is none or it cannot be written.
     */
    public static void write(String line, String path) {
        if (path == null) {
            write(line, (LogFile) null);
            return;
        }
        LogFile file;
        try {
            file = LogFile.open(path);
        } catch (IOException | RuntimeException e) {
            write("[keepalive-agent] WARN: " + LogFile.unusable(path, e), (LogFile) null);
            write(line, (LogFile) null);
            return;
        }
        try {
            write(line, file);
        } finally {
            file.close();
        }
    }
}
