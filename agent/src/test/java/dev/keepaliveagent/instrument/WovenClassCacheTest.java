package dev.keepaliveagent.instrument;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cached bytes become part of java.base: only intact entries, regular files no one else may write,
 * from the directory that was checked and opened, are ever returned. (CacheAttackIT plays a second
 * real user against it.)
 */
class WovenClassCacheTest {

    private static final byte[] ORIGINAL = "the JDK's class file".getBytes(StandardCharsets.UTF_8);
    private static final byte[] WOVEN = "the woven class file".getBytes(StandardCharsets.UTF_8);
    private static final byte[] PLANTED = "a class file someone else wrote".getBytes(StandardCharsets.UTF_8);

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
    void aParentOthersMayWriteToWithoutTheStickyBitIsNotTrusted() throws IOException {
        Path parent = Files.createDirectory(temp.resolve("parent"));
        WovenClassCache.in(parent.resolve("cache")).store("sun.nio.ch.Net", ORIGINAL, WOVEN);
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertNull(WovenClassCache.in(parent.resolve("cache")).lookup("sun.nio.ch.Net", ORIGINAL));
    }

    /** As /tmp, or an emptyDir volume made sticky: no one may rename or replace what is not theirs in it. */
    @Test
    void aStickyParentOthersMayWriteToIsTrusted() throws Exception {
        Path parent = Files.createDirectory(temp.resolve("sticky"));
        WovenClassCache.in(parent.resolve("cache")).store("sun.nio.ch.Net", ORIGINAL, WOVEN);
        assertEquals(0, new ProcessBuilder("chmod", "1777", parent.toString()).start().waitFor());
        assertArrayEquals(WOVEN, WovenClassCache.in(parent.resolve("cache")).lookup("sun.nio.ch.Net", ORIGINAL));
    }

    @Test
    void anEntryOthersMayWriteToIsNotUsed() throws IOException {
        Path directory = temp.resolve("cache");
        WovenClassCache.in(directory).store("sun.nio.ch.Net", ORIGINAL, WOVEN);
        Files.setPosixFilePermissions(onlyEntry(directory), PosixFilePermissions.fromString("rw-rw-rw-"));
        assertNull(WovenClassCache.in(directory).lookup("sun.nio.ch.Net", ORIGINAL));
    }

    @Test
    void aSymbolicLinkAsAnEntryIsNotFollowed() throws IOException {
        Path directory = temp.resolve("cache");
        WovenClassCache.in(directory).store("sun.nio.ch.Net", ORIGINAL, WOVEN);
        Path entry = onlyEntry(directory);
        Path elsewhere = Files.write(temp.resolve("elsewhere"), Files.readAllBytes(entry));
        Files.delete(entry);
        Files.createSymbolicLink(entry, elsewhere);
        assertNull(WovenClassCache.in(directory).lookup("sun.nio.ch.Net", ORIGINAL));
    }

    @Test
    void aDirectorySwappedAfterItWasOpenedIsNeverRead() throws IOException {
        Path directory = temp.resolve("cache");
        WovenClassCache cache = WovenClassCache.in(directory);
        cache.store("sun.nio.ch.Net", ORIGINAL, WOVEN);
        String name = onlyEntry(directory).getFileName().toString();
        Files.move(directory, temp.resolve("moved-away"));
        Path planted = Files.createDirectory(temp.resolve("planted"));
        Files.write(planted.resolve(name), entryOf(PLANTED));
        Files.createSymbolicLink(directory, planted);
        assertNull(cache.lookup("sun.nio.ch.Net", ORIGINAL), "neither the planted entry nor one from elsewhere");
    }

    @Test
    void anEntryOfAnotherUserIsNotUsed() throws IOException {
        assumeTrue(isRoot(), "only root can give a file to another uid");
        Path directory = temp.resolve("cache");
        WovenClassCache.in(directory).store("sun.nio.ch.Net", ORIGINAL, WOVEN);
        Files.setAttribute(onlyEntry(directory), "unix:uid", 54321);
        assertNull(WovenClassCache.in(directory).lookup("sun.nio.ch.Net", ORIGINAL));
    }

    @Test
    void aSymbolicLinkOfAnotherUserOnTheWayIsNotFollowed() throws IOException {
        assumeTrue(isRoot(), "only root can give a link to another uid");
        Path directory = temp.resolve("cache");
        WovenClassCache.in(directory).store("sun.nio.ch.Net", ORIGINAL, WOVEN);
        Path link = Files.createSymbolicLink(temp.resolve("link"), directory);
        Files.setAttribute(link, "unix:uid", 54321, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        assertNull(WovenClassCache.in(link).lookup("sun.nio.ch.Net", ORIGINAL));
        assertNull(WovenClassCache.in(link.resolve(".")).lookup("sun.nio.ch.Net", ORIGINAL));
    }

    private static boolean isRoot() throws IOException {
        return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    }

    private static byte[] entryOf(byte[] woven) {
        return ByteBuffer.allocate(40 + woven.length).putInt(0x4b41_5732).put(Sha256.digest(woven))
                .putInt(woven.length).put(woven).array();
    }

    private static Path onlyEntry(Path directory) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "*.class")) {
            return entries.iterator().next();
        }
    }
}
