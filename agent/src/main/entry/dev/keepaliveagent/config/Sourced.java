package dev.keepaliveagent.config;

/** A value as given, and where it came from, as the start-up line and the refusals say it. */
final class Sourced {

    /** The source of the agent argument string. */
    static final String ARGS = "args";

    final String value;
    final String source;

    Sourced(String value, String source) {
        this.value = value;
        this.source = source;
    }

    /** Where it came from, in a sentence: "the agent arguments", "KEEPALIVE_IDLE", "config file PATH line 3". */
    String where() {
        return source.equals(ARGS) ? "the agent arguments" : source;
    }

    /** Refusals for the agent arguments read as before; others say where the value came from. */
    String from() {
        return source.equals(ARGS) ? "" : " (from " + source + ")";
    }
}
