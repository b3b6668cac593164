package dev.keepaliveagent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What the commands print, a peer's or /proc's text included, is escaped line by line. */
class CliOutputTest {

    @Test
    void aControlSequenceInWhatIsPrintedIsEscaped() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Cli.run(new String[] {"\u001b]0;owned\u0007fix\n[keepalive-agent] forged"},
                new PrintStream(out, true), new PrintStream(err, true));
        assertEquals(2, exit);
        assertEquals("keepalive-agent: unknown command '\\u001b]0;owned\\u0007fix\\n[keepalive-agent] forged'; commands:"
                + " attach, doctor, cache-warm, --version, --help (java -jar keepalive-agent.jar --help)"
                + System.lineSeparator(), new String(err.toByteArray(), StandardCharsets.UTF_8));
    }
}
