package dev.keepaliveagent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A config file is a regular file of at most 64 KiB in UTF-8: anything else is one clear refusal, at once. */
class ConfigFileTextTest {

    @TempDir
    Path temp;

    @Test
    void aFifoIsRefusedAtOnceNamingItsKind() throws Exception {
        Path fifo = temp.resolve("config.fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        String refusal = assertTimeoutPreemptively(Duration.ofSeconds(1), () -> refusal("config=" + fifo));
        assertEquals("keepalive-agent: config=" + fifo + " cannot be read: " + fifo
                + " is a FIFO, not a regular file; expected a regular file of at most 64 KiB", refusal);
    }

    @Test
    void anEndlessDeviceIsRefusedWithoutReadingIt() {
        String refusal = assertTimeoutPreemptively(Duration.ofSeconds(1), () -> refusal("config=/dev/zero"));
        assertEquals("keepalive-agent: config=/dev/zero cannot be read: /dev/zero is a character device, not a"
                + " regular file; expected a regular file of at most 64 KiB", refusal);
    }

    @Test
    void aDirectoryIsRefusedNamingItsKind() {
        assertEquals("keepalive-agent: config=" + temp + " cannot be read: " + temp + " is a directory, not a regular"
                + " file; expected a regular file of at most 64 KiB", refusal("config=" + temp));
    }

    @Test
    void moreThan64KiBIsRefused() throws Exception {
        Path large = temp.resolve("large.conf");
        byte[] comments = new byte[64 * 1024 + 1];
        Arrays.fill(comments, (byte) '#');
        Files.write(large, comments);
        assertEquals("keepalive-agent: config=" + large + " cannot be read: " + large + " has 65537 bytes, over the"
                + " limit of 65536; expected a regular file of at most 64 KiB", refusal("config=" + large));
        Files.write(large, Arrays.copyOf(comments, 64 * 1024));
        AgentArguments.load("config=" + large, Map.of(), Map.of());
    }

    @Test
    void aWrongEncodingNamesTheByteOffset() throws Exception {
        Path latin1 = temp.resolve("latin1.conf");
        Files.write(latin1, "# r\u00e9seau\nidle = 600\n".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals("keepalive-agent: config=" + latin1 + " is not UTF-8: byte 3 (0xe9) of " + latin1
                + " starts no UTF-8 character; save the file as UTF-8", refusal("config=" + latin1));
    }

    @Test
    void aSymbolicLinkToARegularFileIsFollowedAsAMountedConfigMapNeedsIt() throws Exception {
        Path data = Files.createDirectory(temp.resolve("..2026_12_06"));
        Files.writeString(data.resolve("keepalive.conf"), "idle = 45\r\n# r\u00e9seau\rcnt = 4");
        Path link = Files.createSymbolicLink(temp.resolve("keepalive.conf"), data.resolve("keepalive.conf"));
        AgentConfig loaded = AgentArguments.load("config=" + link, Map.of(), Map.of());
        assertEquals(45, loaded.settings().get(KeepaliveOption.IDLE));
        assertEquals(4, loaded.settings().get(KeepaliveOption.CNT));
        assertEquals(List.of("idle = 45", "# r\u00e9seau", "cnt = 4"), ConfigFileText.lines(link.toString(), "config"));
    }

    private static String refusal(String args) {
        return assertThrows(InvalidArgumentException.class, () -> AgentArguments.load(args, Map.of(), Map.of())).getMessage();
    }
}
