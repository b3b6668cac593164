package dev.keepaliveagent.logline;

import java.util.Map;

/**
 * One log line as one JSON object ({@code logformat=json}): {@code time}, {@code level},
 * {@code logger}, {@code message} (the plain line's text), then the line's own fields, e.g. those of
 * a dead peer. Written here rather than by tinylog's JSON writer because the start-up lines are
 * written before tinylog is initialised (its initialisation costs ~50 ms); tinylog still writes every
 * later line, this object as its whole message. Pure ASCII: anything else is escaped, so the line
 * is valid whatever the encoding of the stream it goes to.
 */
public final class JsonLine {

    private JsonLine() {
    }

    public static String of(String time, String level, String message, Map<String, ?> fields) {
        StringBuilder json = new StringBuilder(256 + message.length());
        json.append("{\"time\":");
        string(json, time);
        json.append(",\"level\":");
        string(json, level);
        json.append(",\"logger\":\"keepalive-agent\",\"message\":");
        string(json, message);
        for (Map.Entry<String, ?> field : fields.entrySet()) {
            json.append(',');
            string(json, field.getKey());
            json.append(':');
            Object value = field.getValue();
            if (value == null) {
                json.append("null");
            } else if (value instanceof Long || value instanceof Integer) {
                json.append(value);
            } else {
                string(json, value.toString());
            }
        }
        return json.append('}').toString();
    }

    private static void string(StringBuilder json, String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                TextEscape.appendEscaped(json, c);
            } else {
                json.append(c);
            }
        }
        json.append('"');
    }
}
