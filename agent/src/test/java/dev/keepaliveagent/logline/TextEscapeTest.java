package dev.keepaliveagent.logline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.keepaliveagent.config.LogFormat;
import dev.keepaliveagent.config.LogLevel;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Whatever a name or a peer holds, a text line stays one line the agent started, with no control sequence. */
class TextEscapeTest {

    @ParameterizedTest(name = "U+{0} -> {1}")
    @CsvSource({
        "000a, \\n", "000d, \\r", "0009, \\t", "0000, \\u0000", "001b, \\u001b", "007f, \\u007f",
        "0080, \\u0080", "0085, \\u0085", "009b, \\u009b", "061c, \\u061c", "200e, \\u200e", "200f, \\u200f",
        "202a, \\u202a", "202e, \\u202e", "2066, \\u2066", "2069, \\u2069", "2028, \\u2028", "2029, \\u2029",
    })
    void controlsBidiAndSeparatorsAreEscapedAsJsonWritesThem(String code, String escaped) {
        assertEquals("a" + escaped + "b", TextEscape.of("a" + (char) Integer.parseInt(code, 16) + "b"));
    }

    @Test
    void otherTextIsKeptAsItIs() {
        String text = "dead peer 10.0.0.1:5432 (连接超时, Zeitüberschreitung) C:\\path \u00a0\u00e9\u2013";
        assertSame(text, TextEscape.of(text));
    }

    @Test
    void aForgedLineStaysInsideTheLineThatCarriesIt() {
        String name = "KEEPALIVE_X\n[keepalive-agent] INFO: all connections verified\u001b[31m\u2028";
        String line = LogLine.of(LogFormat.TEXT, LogLevel.WARN, "ignored environment variable " + name,
                Collections.emptyMap());
        assertEquals("[keepalive-agent] WARN: ignored environment variable KEEPALIVE_X\\n[keepalive-agent] INFO: all"
                + " connections verified\\u001b[31m\\u2028", line);
        assertFalse(line.chars().anyMatch(TextEscapeTest::isControl), line);
    }

    private static boolean isControl(int c) {
        return TextEscape.needsEscape((char) c);
    }
}
