package dev.keepaliveagent.config;

import static dev.keepaliveagent.config.InputText.printable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The places settings come from, merged from the one nearest the JVM to the farthest: a team sets
 * {@code -Dkeepalive.*} or {@code KEEPALIVE_*} for its JVM over the defaults a platform puts in the agent
 * arguments ({@code JAVA_TOOL_OPTIONS}) or a config file. A value that another place hides is said in a
 * warning that names both, never dropped in silence.
 */
final class Layers {

    static final String ORDER = "-Dkeepalive.*, then KEEPALIVE_*, then the agent arguments, then the config file";

    private final Map<String, Sourced> values = new LinkedHashMap<>();
    private final List<String> warnings;

    Layers(List<String> warnings) {
        this.warnings = warnings;
    }

    /** A place farther from the JVM than those added before: its values fill what they left. */
    void addBelow(Map<String, Sourced> place) {
        for (Map.Entry<String, Sourced> entry : place.entrySet()) {
            String key = entry.getKey();
            Sourced hidden = entry.getValue();
            Sourced above = values.get(key);
            if (above == null) {
                values.put(key, hidden);
            } else if (!above.value.equals(hidden.value)) {
                warnings.add(key + "=" + printable(hidden.value) + " (" + hidden.where() + ") is overridden by " + key + "="
                        + printable(above.value) + " (" + above.where() + "): the place nearer the JVM wins (" + ORDER
                        + "); remove one of the two and this line goes away");
            }
        }
    }

    Map<String, Sourced> values() {
        return values;
    }
}
