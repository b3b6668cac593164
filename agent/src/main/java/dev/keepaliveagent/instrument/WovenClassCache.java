package dev.keepaliveagent.instrument;

import dev.keepaliveagent.jdk.JdkAccess;
import dev.keepaliveagent.log.AgentLog;
import dev.keepaliveagent.trust.ProcessUser;
import dev.keepaliveagent.trust.TrustedDirectory;
import dev.keepaliveagent.trust.UntrustedPathException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.jar.Manifest;

/**
 * Woven JDK classes kept on disk, so that a JVM whose JDK and agent build were seen before starts
 * without loading a class-file library at all.
 *
 * <p>An entry is found by the class name, the SHA-256 of the JDK's original class file and the build
 * of the agent's weaving code, read from the agent's own jar; so a JDK update or a new agent build
 * simply misses. Because its bytes become part of {@code java.base}, the directory is used only when
 * nobody but this user and root can change it or any directory above it ({@link TrustedDirectory}),
 * it is kept open and its entries are read relative to it, each entry must be a regular file that no
 * one else may write, and each carries the SHA-256 of its content: a damaged entry is woven anew,
 * never defined.
 */
public final class WovenClassCache {

    private static final int MAGIC = 0x4b41_5732; // "KAW2"
    private static final int DIGEST = 32;
    private static final int HEADER = 4 + DIGEST + 4;
    /** Far above any woven JDK class (the largest is under 100 KB): a bigger entry is not one of ours. */
    private static final int ENTRY_LIMIT = 4 << 20;
    /** Other private names tried when the usual fallback under the temporary directory is someone else's. */
    private static final int FALLBACK_NAMES = 10;
    /**
     * The class files that decide the woven result, the bundled ASM's writer among them for its version
     * (the shade plugin relocates that name with Byte Buddy).
     */
    private static final String[] WEAVING_INPUTS = {
        "dev/keepaliveagent/instrument/Targets.class", "dev/keepaliveagent/instrument/Target.class",
        "dev/keepaliveagent/instrument/Hooks.class", "dev/keepaliveagent/instrument/Hook.class",
        "dev/keepaliveagent/instrument/HookWeaver.class", "dev/keepaliveagent/instrument/HookedMethod.class",
        "dev/keepaliveagent/boot/Switchboard.class", "net/bytebuddy/jar/asm/MethodWriter.class",
    };

    private final TrustedDirectory directory;
    private final String build;
    /** False for a primed cache on a read-only file system: used as it is, nothing stored. */
    private final boolean writable;

    private WovenClassCache(TrustedDirectory directory, String build, boolean writable) {
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
     * that cannot be used (a read-only home, none at all, a directory others may change), a private
     * directory under the temporary directory, said once at INFO with the reason.
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
                TrustedDirectory opened = TrustedDirectory.openMadeIfMissing(usual);
                if (opened.writable()) {
                    return new WovenClassCache(opened, buildOfWeavingCode(), true);
                }
                opened.close();
                unusable = "it is not writable";
            } catch (IOException | RuntimeException e) {
                unusable = UntrustedPathException.reason(e);
            }
        }
        return inFallback((usual == null ? "" : usual + " cannot be used, ") + unusable);
    }

    /**
     * A private directory under the temporary directory, {@code keepalive-agent-<uid>}; if that name is
     * taken by someone else (or is a symbolic link), the next of {@code keepalive-agent-<uid>-2} and on.
     */
    private static WovenClassCache inFallback(String why) {
        Path temporary = Paths.get(System.getProperty("java.io.tmpdir", "/tmp"));
        String refused = "";
        try {
            String base = "keepalive-agent-" + ProcessUser.uid();
            for (int n = 1; n <= FALLBACK_NAMES; n++) {
                Path fallback = temporary.resolve(n == 1 ? base : base + "-" + n);
                try {
                    TrustedDirectory opened = openPrivate(fallback);
                    AgentLog.info("the cache of woven classes is in " + fallback + ": " + why + refused
                            + " (set cache=PATH to choose; java -jar keepalive-agent.jar cache-warm DIR primes one"
                            + " for an image)");
                    return new WovenClassCache(opened, buildOfWeavingCode(), opened.writable());
                } catch (UntrustedPathException e) {
                    refused = "; not " + fallback + ": " + e.getMessage();
                }
            }
        } catch (IOException | RuntimeException e) {
            refused = "; " + e;
        }
        AgentLog.info("no cache of woven classes: " + why + refused + "; every start weaves anew, which takes longer"
                + " (set cache=PATH to a private directory)");
        return disabled();
    }

    /** The fallback: made now, private, or an earlier start's that is this user's own, never a link. */
    private static TrustedDirectory openPrivate(Path fallback) throws IOException {
        try {
            Files.createDirectory(fallback, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            if (Files.isSymbolicLink(fallback)) {
                throw new UntrustedPathException(fallback + " is a symbolic link");
            }
            Object owner = Files.getAttribute(fallback, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            if (!owner.equals(ProcessUser.uid())) {
                throw new UntrustedPathException(fallback + " belongs to uid " + owner);
            }
        }
        TrustedDirectory opened = TrustedDirectory.open(fallback);
        if (Files.isSymbolicLink(fallback)) {
            opened.close();
            throw new UntrustedPathException(fallback + " was replaced by a symbolic link");
        }
        return opened;
    }

    /** The cache in {@code directory}, or a disabled one (with one line saying why) if it cannot be trusted or made. */
    static WovenClassCache in(Path directory) {
        try {
            TrustedDirectory opened = TrustedDirectory.openMadeIfMissing(directory);
            return new WovenClassCache(opened, buildOfWeavingCode(), opened.writable());
        } catch (UntrustedPathException e) {
            AgentLog.info("not using the cache directory " + directory + ": " + e.getMessage()
                    + "; start-up takes longer (set cache=PATH to a private directory, or cache=off)");
            return disabled();
        } catch (IOException | RuntimeException e) {
            AgentLog.info("no cache of woven classes (" + directory + ": " + e
                    + "); every start weaves anew, which takes longer");
            return disabled();
        }
    }

    byte[] lookup(String typeName, byte[] original) {
        if (directory == null) {
            return null;
        }
        String entry = entryFor(typeName, original);
        try {
            byte[] stored = directory.read(entry, ENTRY_LIMIT);
            if (stored == null) {
                return null;
            }
            ByteBuffer content = ByteBuffer.wrap(stored);
            if (content.remaining() < HEADER || content.getInt() != MAGIC) {
                return null;
            }
            byte[] digest = new byte[DIGEST];
            content.get(digest);
            int length = content.getInt();
            if (length != content.remaining()) {
                return null;
            }
            byte[] woven = new byte[length];
            content.get(woven);
            return Arrays.equals(digest, Sha256.digest(woven)) ? woven : null;
        } catch (UntrustedPathException e) {
            AgentLog.infoOnce("cache entry " + e.getMessage(), "not using an entry of the cache of woven classes: "
                    + e.getMessage() + "; that class is woven anew");
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    void store(String typeName, byte[] original, byte[] woven) {
        if (directory == null || !writable) {
            return;
        }
        try {
            ByteBuffer content = ByteBuffer.allocate(HEADER + woven.length);
            content.putInt(MAGIC).put(Sha256.digest(woven)).putInt(woven.length).put(woven);
            directory.write(entryFor(typeName, original), content.array());
        } catch (IOException | RuntimeException e) {
            AgentLog.warnOnce("cache write " + directory.path(), "could not write to the cache of woven classes in "
                    + directory.path() + ": " + e + "; every start weaves anew, which takes longer");
        }
    }

    private String entryFor(String typeName, byte[] original) {
        return typeName + "." + build + "." + Sha256.hex(original) + ".class";
    }

    /**
     * The agent jar's Build-Id, from the jar this class came from: the agent's class loader answers for
     * the manifest with its own jar's (never the first a parent finds: another jar on the boot class path
     * would decide it), already open, where opening the jar again would cost ~8 ms of start-up; or, where
     * the classes do not come from a built jar, a digest of the class files that decide the woven result.
     */
    private static String buildOfWeavingCode() throws IOException {
        try (InputStream in = WovenClassCache.class.getClassLoader().getResourceAsStream("META-INF/MANIFEST.MF")) {
            String build = in == null ? null : new Manifest(in).getMainAttributes().getValue("Build-Id");
            if (build != null && isSafeInFileName(build)) {
                return build;
            }
        }
        ByteArrayOutputStream inputs = new ByteArrayOutputStream();
        for (String resource : WEAVING_INPUTS) {
            try (InputStream in = WovenClassCache.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException(resource + " is missing from the agent jar");
                }
                inputs.write(JdkAccess.readAll(in));
            }
        }
        return Sha256.hex(inputs.toByteArray()).substring(0, 16);
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
}
