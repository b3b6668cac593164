package dev.keepaliveagent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hundreds of generated malformed argument strings: each is accepted or refused with the single
 * clear line, never another exception, never a hang.
 */
class ArgumentFuzzTest {

    private static final String[] KEYS = {"idle", "intvl", "cnt", "log", "logfile", "cache", "", "IDLE", "idle ", "ïdle", "x"};
    private static final String[] VALUES = {
        "600", "90s", "10m", "2h", "0", "-1", "32768", "99999999999999999999999", "1e3", "0x10", "", " ", "=", ",",
        "600,", "١٢٠", "６００", "10M", "5ms", "NaN", "off", "debug", "verbose", "/tmp/a,b", "\u0000", "\n", "\t600",
        "600\u00a0", "∞", "🙂", "127", "128",
    };

    @Test
    void everyInputIsEitherAcceptedOrRefusedWithOneClearLine() {
        Random random = new Random(20261125L);
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            inputs.add(generate(random));
        }
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            int refused = 0;
            for (String input : inputs) {
                try {
                    AgentConfig config = AgentArguments.parse(input);
                    Settings settings = config.settings();
                    assertTrue(settings.get(KeepaliveOption.IDLE) >= 1 && settings.get(KeepaliveOption.IDLE) <= 32767, input);
                    assertTrue(settings.get(KeepaliveOption.INTVL) >= 1 && settings.get(KeepaliveOption.INTVL) <= 32767, input);
                    assertTrue(settings.get(KeepaliveOption.CNT) >= 1 && settings.get(KeepaliveOption.CNT) <= 127, input);
                } catch (InvalidArgumentException refusal) {
                    refused++;
                    String message = refusal.getMessage();
                    assertTrue(message.startsWith("keepalive-agent: "), message);
                    assertEquals(1, message.lines().count(), () -> "one line for " + escape(input) + ": " + message);
                    assertTrue(message.length() < 400, message);
                } catch (RuntimeException | Error other) {
                    fail("input " + escape(input) + " threw " + other);
                }
            }
            assertTrue(refused > 1000, "the generator makes mostly bad input: " + refused);
        });
    }

    private static String generate(Random random) {
        switch (random.nextInt(4)) {
            case 0: { // random bytes as a string
                byte[] bytes = new byte[random.nextInt(40)];
                random.nextBytes(bytes);
                return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
            }
            case 1: { // random code points, unicode included
                StringBuilder text = new StringBuilder();
                for (int i = random.nextInt(30); i > 0; i--) {
                    text.appendCodePoint(random.nextInt(0x1F700));
                }
                return text.toString();
            }
            default: { // plausible pairs with bad parts, duplicates and separators in values
                StringBuilder text = new StringBuilder();
                for (int i = random.nextInt(5); i >= 0; i--) {
                    if (text.length() > 0) {
                        text.append(random.nextInt(6) == 0 ? ";" : ",");
                    }
                    text.append(KEYS[random.nextInt(KEYS.length)]);
                    if (random.nextInt(8) != 0) {
                        text.append('=');
                    }
                    text.append(VALUES[random.nextInt(VALUES.length)]);
                }
                return text.toString();
            }
        }
    }

    private static String escape(String input) {
        StringBuilder out = new StringBuilder("'");
        for (char c : input.toCharArray()) {
            out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.append("'").toString();
    }
}
