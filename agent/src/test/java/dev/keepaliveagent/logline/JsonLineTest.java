package dev.keepaliveagent.logline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every line {@link JsonLine} writes is one JSON object a real parser reads back to the same values. */
class JsonLineTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {
        "dead peer 10.0.4.12:5432 (local 10.0.4.7:40312, connect): no answer",
        "quotes \" and \\ backslashes \\\" together",
        "a newline\nand a tab\tand a carriage return\r",
        "control \u0000 \u0001 \u001f \u007f characters",
        "连接超时 and Die Wartezeit für die Verbindung ist abgelaufen",
        "a surrogate pair: \ud83d\udd0c",
        "",
    })
    void anyMessageIsReadBackAsWritten(String message) throws Exception {
        String line = JsonLine.of("2026-12-01T19:30:00.123Z", "WARN", message, Map.of());
        assertTrue(line.chars().allMatch(c -> c >= 0x20 && c <= 0x7e), () -> "pure printable ASCII: " + line);
        JsonNode read = JSON.readTree(line);
        assertEquals(message, read.get("message").asText());
        assertEquals("WARN", read.get("level").asText());
        assertEquals("2026-12-01T19:30:00.123Z", read.get("time").asText());
        assertEquals("keepalive-agent", read.get("logger").asText());
        assertEquals(4, read.size());
    }

    @Test
    void fieldsFollowWithTheirTypes() throws Exception {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("remote", "[fd00::1]:5432");
        fields.put("connectionAge", 7_985_000L);
        fields.put("kernelMessage", null);
        fields.put("kind", "netty \"epoll\" connect");
        JsonNode read = JSON.readTree(JsonLine.of("t", "WARN", "m", fields));
        assertEquals("[fd00::1]:5432", read.get("remote").asText());
        assertTrue(read.get("connectionAge").isIntegralNumber());
        assertEquals(7_985_000L, read.get("connectionAge").asLong());
        assertTrue(read.get("kernelMessage").isNull());
        assertEquals("netty \"epoll\" connect", read.get("kind").asText());
        assertEquals(java.util.List.of("time", "level", "logger", "message", "remote", "connectionAge", "kernelMessage", "kind"),
                iterable(read.fieldNames()));
    }

    private static java.util.List<String> iterable(java.util.Iterator<String> names) {
        java.util.List<String> list = new java.util.ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }
}
