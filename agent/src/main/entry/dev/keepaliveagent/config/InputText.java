package dev.keepaliveagent.config;

/** What every parser of the agent's input needs: digits read strictly, and any input quoted safely. */
final class InputText {

    private InputText() {
    }

    /** The value of a string of ASCII digits (huge ones capped, as they are out of range anyway); -1 if not digits. */
    static long wholeNumber(String digits) {
        if (digits.isEmpty()) {
            return -1;
        }
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        return digits.length() > 9 ? Integer.MAX_VALUE : Long.parseLong(digits);
    }

    /** Keeps a refusal on one readable line whatever bytes the user passed. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && i < 60; i++) {
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
