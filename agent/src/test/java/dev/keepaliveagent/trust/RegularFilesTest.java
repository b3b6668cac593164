package dev.keepaliveagent.trust;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the config file and the log file are opened with: the kind first, then an open that cannot hang. */
class RegularFilesTest {

    @TempDir
    Path temp;

    @Test
    void aRegularFileIsReadWhole() throws Exception {
        Path file = Files.write(temp.resolve("file"), new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, RegularFiles.read(file, 3));
        assertThrows(UntrustedPathException.class, () -> RegularFiles.read(file, 2));
    }

    /** The race the kind check cannot close: a FIFO put in the file's place just before the open. */
    @Test
    void anOpenThatBlocksIsGivenUpAtItsDeadline() throws Exception {
        Path fifo = temp.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        long start = System.nanoTime();
        InterruptedIOException late = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThrows(
                InterruptedIOException.class, () -> RegularFiles.openWithinDeadline(fifo)));
        long waited = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waited >= RegularFiles.OPEN_DEADLINE_MILLIS, waited + " ms");
        assertEquals(fifo + " did not open within 2000 ms (a FIFO put in its place?)", late.getMessage());
        // The abandoned opener is released by a writer and closes what it opened.
        Files.write(fifo, new byte[0]);
    }
}
