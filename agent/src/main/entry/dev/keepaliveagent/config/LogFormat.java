package dev.keepaliveagent.config;

import java.util.Locale;

/** How the agent's own lines are written ({@code logformat=}): plain text, or one JSON object per line. */
public enum LogFormat {
    TEXT, JSON;

    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
