package dev.keepaliveagent.config;

import java.util.Locale;

/** How much the agent itself logs ({@code log=}); the app's own logging is never touched. */
public enum LogLevel {
    OFF, ERROR, WARN, INFO, DEBUG;

    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
