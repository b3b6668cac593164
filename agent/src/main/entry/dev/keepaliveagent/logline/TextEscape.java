package dev.keepaliveagent.logline;

/**
 * The one escape of the agent's plain-text lines and of what its commands print from a peer or
 * {@code /proc}: whatever a name, a path or a peer's text holds, a line stays one line that starts
 * where the agent started it, and no terminal control sequence gets through. Escaped as JSON writes
 * them: {@code \n}, {@code \r}, {@code \t}, else {@code \}{@code uXXXX}: the C0 controls, DEL, the C1
 * controls, the bidirectional formatting characters (which reorder what a terminal shows) and the line
 * and paragraph separators. Other text, non-ASCII included, is kept as it is.
 */
public final class TextEscape {

    private TextEscape() {
    }

    public static String of(String text) {
        int first = 0;
        while (first < text.length() && !needsEscape(text.charAt(first))) {
            first++;
        }
        if (first == text.length()) {
            return text;
        }
        StringBuilder escaped = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (needsEscape(c)) {
                appendEscaped(escaped, c);
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /** {@code c} as JSON writes it escaped: {@code \n}, {@code \r}, {@code \t}, else {@code \}{@code uXXXX}. */
    static void appendEscaped(StringBuilder out, char c) {
        if (c == '\n') {
            out.append("\\n");
        } else if (c == '\r') {
            out.append("\\r");
        } else if (c == '\t') {
            out.append("\\t");
        } else {
            out.append("\\u").append(Character.forDigit(c >> 12 & 0xf, 16)).append(Character.forDigit(c >> 8 & 0xf, 16))
                    .append(Character.forDigit(c >> 4 & 0xf, 16)).append(Character.forDigit(c & 0xf, 16));
        }
    }

    static boolean needsEscape(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f)
                || c == '\u061c' || c == '\u200e' || c == '\u200f'
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')
                || c == '\u2028' || c == '\u2029';
    }
}
