package dev.keepaliveagent.instrument;

import dev.keepaliveagent.log.AgentLog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Woven JDK classes kept on disk, so that a JVM whose JDK and agent build were seen before starts
 * without loading Byte Buddy at all (it costs hundreds of milliseconds).
 *
 * <p>An entry is found by the class name, a checksum and the length of the JDK's original class
 * file, and the build of the agent's weaving code; so a JDK update or a new agent build simply
 * misses. Because its bytes become part of {@code java.base}, the directory is used only when it
 * belongs to this user and no one else may write to it, and every entry carries a checksum of its
 * content: a damaged entry is ignored and woven anew, never defined.
 */
public final class WovenClassCache {

    private static final int MAGIC = 0x4b41_5743; // "KAWC"
    /**
     * The class files that decide the woven result, Byte Buddy's among them for its version (the
     * shade plugin relocates that name with Byte Buddy).
     */
    private static final String[] WEAVING_INPUTS = {
        "dev/keepaliveagent/instrument/Targets.class", "dev/keepaliveagent/instrument/Target.class",
        "dev/keepaliveagent/instrument/AdviceWeaver.class", "dev/keepaliveagent/instrument/ConnectAdvice.class",
        "dev/keepaliveagent/instrument/SetOptionAdvice.class", "dev/keepaliveagent/instrument/SocketImplAcceptAdvice.class",
        "dev/keepaliveagent/instrument/ChannelAcceptAdvice.class", "dev/keepaliveagent/instrument/IoFailureAdvice.class", "dev/keepaliveagent/instrument/CloseAdvice.class",
        "dev/keepaliveagent/boot/Switchboard.class",
        "net/bytebuddy/ByteBuddy.class",
    };

    private final Path directory;
    private final String build;
    /** False for a primed cache on a read-only file system: used as it is, nothing stored. */
    private final boolean writable;

    private WovenClassCache(Path directory, String build, boolean writable) {
        this.directory = directory;
        this.build = build;
        this.writable = writable;
    }

    static WovenClassCache disabled() {
        return new WovenClassCache(null, null, false);
    }

    /**
     * The cache the configuration asks for: {@code chosen} if set (a primed, read-only directory is used
     * as it is), else {@code $XDG_CACHE_HOME/keepalive-agent} or {@code ~/.cache/keepalive-agent}; where
     * that cannot be written (a read-only home, none at all), a private directory under the temporary
     * directory, said once at INFO with the reason.
     */
    public static WovenClassCache forConfig(boolean enabled, String chosen) {
        if (!enabled) {
            return disabled();
        }
        if (chosen != null) {
            return in(Paths.get(chosen));
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        String home = System.getProperty("user.home");
        Path usual = xdg != null && !xdg.isEmpty() ? Paths.get(xdg, "keepalive-agent")
                : home == null || home.isEmpty() || home.equals("?") ? null : Paths.get(home, ".cache", "keepalive-agent");
        String unusable = "this user has no home directory";
        if (usual != null) {
            try {
                create(usual);
                if (Files.isWritable(usual)) {
                    return in(usual);
                }
                unusable = "it is not writable";
            } catch (IOException | RuntimeException e) {
                unusable = e.toString();
            }
        }
        Path fallback = Paths.get(System.getProperty("java.io.tmpdir", "/tmp"), "keepalive-agent-" + uid());
        AgentLog.info("the cache of woven classes is in " + fallback + ": " + (usual == null ? "" : usual + " cannot be used, ")
                + unusable + " (set cache=PATH to choose; java -jar keepalive-agent.jar cache-warm DIR primes one for an image)");
        return in(fallback);
    }

    /** The cache in {@code directory}, or a disabled one (with one line saying why) if it cannot be trusted or made. */
    static WovenClassCache in(Path directory) {
        try {
            create(directory);
            String untrusted = whyUntrusted(directory);
            if (untrusted != null) {
                AgentLog.warn("not using the cache directory " + directory + ": " + untrusted
                        + "; start-up takes longer (set cache=PATH to a private directory, or cache=off)");
                return disabled();
            }
            return new WovenClassCache(directory, buildOfWeavingCode(), Files.isWritable(directory));
        } catch (IOException | RuntimeException e) {
            AgentLog.info("no cache of woven classes (" + directory + ": " + e
                    + "); every start weaves anew, which takes longer");
            return disabled();
        }
    }

    /** Makes {@code directory}, private to this user, unless it exists. */
    private static void create(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
    }

    byte[] lookup(String typeName, byte[] original) {
        if (directory == null) {
            return null;
        }
        Path entry = entryFor(typeName, original);
        try {
            if (!Files.isRegularFile(entry)) {
                return null;
            }
            ByteBuffer content = ByteBuffer.wrap(Files.readAllBytes(entry));
            if (content.remaining() < 16 || content.getInt() != MAGIC) {
                return null;
            }
            long checksum = content.getLong();
            int length = content.getInt();
            if (length != content.remaining()) {
                return null;
            }
            byte[] woven = new byte[length];
            content.get(woven);
            return checksum(woven) == checksum ? woven : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    void store(String typeName, byte[] original, byte[] woven) {
        if (directory == null || !writable) {
            return;
        }
        Path entry = entryFor(typeName, original);
        try {
            ByteBuffer content = ByteBuffer.allocate(16 + woven.length);
            content.putInt(MAGIC).putLong(checksum(woven)).putInt(woven.length).put(woven);
            Path temporary = directory.resolve(entry.getFileName() + "." + Long.toHexString(System.nanoTime())
                    + "-" + Thread.currentThread().getId() + ".tmp");
            try {
                writeOwnerOnly(temporary, content);
                Files.move(temporary, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException | RuntimeException e) {
            AgentLog.warnOnce("cache write " + directory, "could not write to the cache of woven classes in "
                    + directory + ": " + e + "; every start weaves anew, which takes longer");
        }
    }

    /**
     * A new file only its owner may read, as {@code Files.createTempFile} makes; that one names it with
     * a {@code SecureRandom}, whose first use loads and seeds the JDK's security providers (about 20 ms
     * of a cold start). Two writers never share a name: it has the time in nanoseconds and the thread,
     * and is created only if new.
     */
    private static void writeOwnerOnly(Path file, ByteBuffer content) throws IOException {
        Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try (SeekableByteChannel channel = file.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? Files.newByteChannel(file, options, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.newByteChannel(file, options)) {
            content.flip();
            while (content.hasRemaining()) {
                channel.write(content);
            }
        }
    }

    private Path entryFor(String typeName, byte[] original) {
        return directory.resolve(typeName + "." + build + "." + Long.toHexString(checksum(original))
                + "." + original.length + ".class");
    }

    private static Object uid() {
        try {
            return Files.getAttribute(Paths.get("/proc/self"), "unix:uid");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String whyUntrusted(Path directory) throws IOException {
        Object owner = Files.getAttribute(directory, "unix:uid");
        Object self = uid();
        // Root's too: a cache primed when the image was built belongs to root, whom nobody can keep out anyway.
        if (!owner.equals(self) && !owner.equals(0)) {
            return "it belongs to uid " + owner + ", neither this process's uid " + self + " nor root";
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(directory);
        if (permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
            return "others may write to it (" + PosixFilePermissions.toString(permissions) + ")";
        }
        return null;
    }

    /**
     * The agent jar's Build-Id (one manifest read), or, where the classes do not come from a built
     * jar, a checksum of the class files that decide the woven result.
     */
    private static String buildOfWeavingCode() throws IOException {
        try (InputStream in = WovenClassCache.class.getClassLoader().getResourceAsStream("META-INF/MANIFEST.MF")) {
            String build = in == null ? null : new java.util.jar.Manifest(in).getMainAttributes().getValue("Build-Id");
            if (build != null && isSafeInFileName(build)) {
                return build;
            }
        }
        CRC32 crc = new CRC32();
        for (String resource : WEAVING_INPUTS) {
            try (InputStream in = WovenClassCache.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException(resource + " is missing from the agent jar");
                }
                crc.update(JdkAccess.readAll(in));
            }
        }
        return Long.toHexString(crc.getValue());
    }

    /** Letters, digits, '.' and '-' only (checked without java.util.regex, which costs start-up time). */
    private static boolean isSafeInFileName(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static long checksum(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }
}
