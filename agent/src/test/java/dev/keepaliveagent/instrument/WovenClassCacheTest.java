package dev.keepaliveagent.instrument;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cached bytes become part of java.base: only intact entries from a private directory are ever returned. */
class WovenClassCacheTest {

    private static final byte[] ORIGINAL = "the JDK's class file".getBytes(StandardCharsets.UTF_8);
    private static final byte[] WOVEN = "the woven class file".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path temp;

    @Test
    void returnsWhatWasStoredForTheSameOriginal() {
        WovenClassCache cache = WovenClassCache.in(temp.resolve("cache"));
        assertNull(cache.lookup("sun.nio.ch.Net", ORIGINAL));
        cache.store("sun.nio.ch.Net", ORIGINAL, WOVEN);
        assertArrayEquals(WOVEN, cache.lookup("sun.nio.ch.Net", ORIGINAL));
        assertArrayEquals(WOVEN, WovenClassCache.in(temp.resolve("cache")).lookup("sun.nio.ch.Net", ORIGINAL));
    }

    @Test
    void anotherJdkBuildMisses() {
        WovenClassCache cache = WovenClassCache.in(temp.resolve("cache"));
        cache.store("sun.nio.ch.Net", ORIGINAL, WOVEN);
        assertNull(cache.lookup("sun.nio.ch.Net", "another JDK's class file".getBytes(StandardCharsets.UTF_8)));
        assertNull(cache.lookup("sun.nio.ch.NioSocketImpl", ORIGINAL));
    }

    @Test
    void aDamagedEntryIsNeverReturned() throws IOException {
        Path directory = temp.resolve("cache");
        WovenClassCache cache = WovenClassCache.in(directory);
        cache.store("sun.nio.ch.Net", ORIGINAL, WOVEN);
        Path entry = onlyEntry(directory);
        byte[] content = Files.readAllBytes(entry);
        content[content.length - 1] ^= 1;
        Files.write(entry, content);
        assertNull(cache.lookup("sun.nio.ch.Net", ORIGINAL));
        Files.write(entry, new byte[] {1, 2, 3});
        assertNull(cache.lookup("sun.nio.ch.Net", ORIGINAL));
    }

    @Test
    void aDirectoryOthersMayWriteToIsNotUsed() throws IOException {
        Path shared = Files.createDirectory(temp.resolve("shared"));
        WovenClassCache.in(shared).store("sun.nio.ch.Net", ORIGINAL, WOVEN);
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertNull(WovenClassCache.in(shared).lookup("sun.nio.ch.Net", ORIGINAL));
    }

    @Test
    void anUnwritableDirectoryOnlyCostsTime() throws IOException {
        Path file = Files.createFile(temp.resolve("not-a-directory"));
        WovenClassCache cache = WovenClassCache.in(file.resolve("cache"));
        cache.store("sun.nio.ch.Net", ORIGINAL, WOVEN);
        assertNull(cache.lookup("sun.nio.ch.Net", ORIGINAL));
    }

    private static Path onlyEntry(Path directory) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "*.class")) {
            return entries.iterator().next();
        }
    }
}
