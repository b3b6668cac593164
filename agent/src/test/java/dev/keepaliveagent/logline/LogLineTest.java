package dev.keepaliveagent.logline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keepaliveagent.config.LogFormat;
import dev.keepaliveagent.config.LogLevel;
import java.util.Collections;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The agent's lines written without tinylog: the same prefix, a time in ASCII digits where asked for. */
class LogLineTest {

    @Test
    void aTextLineHasThePrefixAndLevelAndItsTimeWhereStamped() {
        assertEquals("[keepalive-agent] WARN: x", LogLine.of(LogFormat.TEXT, LogLevel.WARN, "x", Collections.emptyMap()));
        String stamped = LogLine.of(LogFormat.TEXT, LogLevel.INFO, "x", Collections.emptyMap(), true);
        assertTrue(stamped.matches("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}(Z|[+-][0-9]{2}:[0-9]{2})"
                + " \\[keepalive-agent\\] INFO: x"), stamped);
    }

    @Test
    void theTimesDigitsAreAsciiInEveryLocale() {
        Locale before = Locale.getDefault();
        try {
            for (String tag : new String[] {"ar-EG", "th-TH-u-nu-thai", "hi-IN", "fa-IR"}) {
                Locale.setDefault(Locale.forLanguageTag(tag));
                String stamped = LogLine.of(LogFormat.TEXT, LogLevel.INFO, "x", Collections.emptyMap(), true);
                assertTrue(stamped.matches("[0-9T:.+Z-]+ \\[keepalive-agent\\] INFO: x"), tag + ": " + stamped);
            }
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void aJsonLineIsStampedAnyway() {
        String json = LogLine.of(LogFormat.JSON, LogLevel.INFO, "x", Collections.emptyMap(), false);
        assertTrue(json.startsWith("{\"time\":\"") && json.contains("\"message\":\"x\""), json);
    }
}
