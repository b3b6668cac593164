package dev.keepaliveagent.trust;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;

/**
 * The uid this process runs as, told without a lookup in the user database (which may be a slow
 * directory service): from {@code /proc/self}, or, where there is no {@code /proc}, from the owner of
 * a file this process creates.
 */
public final class ProcessUser {

    private static volatile Integer uid;

    private ProcessUser() {
    }

    public static int uid() throws IOException {
        Integer known = uid;
        if (known == null) {
            known = findUid();
            uid = known;
        }
        return known;
    }

    private static int findUid() throws IOException {
        Path self = Paths.get("/proc/self");
        if (Files.isDirectory(self)) {
            return (Integer) Files.getAttribute(self, "unix:uid");
        }
        Path probe = Paths.get(System.getProperty("java.io.tmpdir", "/tmp"), ".keepalive-agent-uid-"
                + Long.toHexString(System.nanoTime()) + "-" + Thread.currentThread().getId());
        Files.newByteChannel(probe, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
        try {
            return (Integer) Files.getAttribute(probe, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } finally {
            Files.deleteIfExists(probe);
        }
    }
}
