package dev.keepaliveagent.logline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keepaliveagent.trust.UntrustedPathException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** logfile= never follows a symbolic link, makes the file its owner's alone, and never blocks on a FIFO. */
class LogFileTest {

    @TempDir
    Path temp;

    @Test
    void aNewLogFileIsReadableByItsOwnerAlone() throws Exception {
        Path path = temp.resolve("agent.log");
        LogFile file = LogFile.open(path.toString());
        assertTrue(file.append("one\n"));
        file.close();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
        assertEquals(List.of("one"), Files.readAllLines(path));
    }

    @Test
    void anExistingLogFileIsAppendedToAndKeepsItsMode() throws Exception {
        Path path = Files.writeString(temp.resolve("agent.log"), "before\n");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r-----"));
        LogLine.write("after", path.toString());
        assertEquals(List.of("before", "after"), Files.readAllLines(path));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
    }

    @Test
    void aSymbolicLinkIsNotFollowed() throws Exception {
        Path target = Files.writeString(temp.resolve("someone-elses-file"), "theirs\n");
        Path link = Files.createSymbolicLink(temp.resolve("agent.log"), target);
        UntrustedPathException refused = assertThrows(UntrustedPathException.class, () -> LogFile.open(link.toString()));
        assertEquals(link + " is a symbolic link, which the agent does not follow; name the file itself", refused.getMessage());
        LogLine.write("a line", link.toString());
        assertEquals(List.of("theirs"), Files.readAllLines(target));
        assertTrue(Files.isSymbolicLink(link));
    }

    @Test
    void aDanglingSymbolicLinkCreatesNothingWhereItPoints() throws Exception {
        Path nowhere = temp.resolve("created-through-the-link");
        Path link = Files.createSymbolicLink(temp.resolve("agent.log"), nowhere);
        assertThrows(UntrustedPathException.class, () -> LogFile.open(link.toString()));
        assertFalse(Files.exists(nowhere, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aFifoIsRefusedAtOnce() throws Exception {
        Path fifo = temp.resolve("agent.log");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        UntrustedPathException refused = assertTimeoutPreemptively(Duration.ofSeconds(1),
                () -> assertThrows(UntrustedPathException.class, () -> LogFile.open(fifo.toString())));
        assertEquals(fifo + " is a FIFO, not a regular file", refused.getMessage());
        assertTimeoutPreemptively(Duration.ofSeconds(1), () -> LogLine.write("a line", fifo.toString()));
    }

    @Test
    void anInterruptedThreadStillLogsAndKeepsItsInterrupt() throws Exception {
        Path path = temp.resolve("agent.log");
        LogFile file = LogFile.open(path.toString());
        Thread.currentThread().interrupt();
        try {
            assertTrue(file.append("while interrupted\n"));
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
        assertTrue(file.append("after\n"));
        file.close();
        assertEquals(List.of("while interrupted", "after"), Files.readAllLines(path));
    }
}
