package dev.keepaliveagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cold starts as a container has them: a home that cannot hold the cache falls back to a private
 * directory under the temporary directory, said once; a cache primed with {@code cache-warm} when the
 * image is built is used as it is from a read-only file system.
 */
class CacheIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void anUnusableHomeFallsBackToAPrivateDirectoryUnderTheTemporaryOne(@TempDir Path temporary) throws Exception {
        List<String> jvmArguments = List.of("-Duser.home=/proc/no-such-home", "-Djava.io.tmpdir=" + temporary);
        List<String> first = run(jvmArguments, "");
        List<String> second = run(jvmArguments, "");
        Path fallback;
        try (Stream<Path> made = Files.list(temporary)) {
            List<Path> directories = made.collect(Collectors.toList());
            assertEquals(1, directories.size(), directories::toString);
            fallback = directories.get(0);
        }
        assertTrue(fallback.getFileName().toString().matches("keepalive-agent-[0-9]+"), fallback::toString);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(fallback)), "private to the user");
        for (List<String> run : List.of(first, second)) {
            assertEquals(1, run.stream().filter(line -> line.contains("cache of woven classes")).count(), run::toString);
            assertTrue(run.get(0).startsWith("[keepalive-agent] INFO: the cache of woven classes is in " + fallback
                    + ": /proc/no-such-home/.cache/keepalive-agent cannot be used, "), run::toString);
        }
        int classes = TestJvm.wovenJdkClasses();
        assertTrue(startUpLine(first).contains(" 0 of " + classes + " classes from the cache)"), first::toString);
        assertTrue(startUpLine(second).contains(" " + classes + " of " + classes + " classes from the cache)"), second::toString);
    }

    @Test
    void aCachePrimedAtImageBuildTimeIsUsedAsItIsFromAReadOnlyFileSystem(@TempDir Path temporary) throws Exception {
        Path primed = temporary.resolve("primed");
        Command warm = Command.run(List.of(TestJvm.java().toString(), "-jar",
                TestJvm.agentJar().toString(), "cache-warm", primed.toString()));
        assertEquals(0, warm.exit, warm::toString);
        int classes = TestJvm.wovenJdkClasses();
        assertTrue(warm.stdout.get(0).startsWith("primed " + primed + ": " + classes + " woven JDK classes for Java "),
                warm::toString);
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(primed)), "readable by the app's user");
        List<String> before = listing(primed);

        List<String> run = runReadOnly(primed, "cache=" + primed);
        assertTrue(startUpLine(run).contains(" " + classes + " of " + classes + " classes from the cache)"), run::toString);
        assertEquals(1, run.size(), () -> "the start-up line alone, no word of the cache: " + run);
        assertEquals(before, listing(primed), "nothing written");
    }

    /** The app started with {@code primed} read-only: a read-only bind mount in a mount namespace of its own where root. */
    private static List<String> runReadOnly(Path primed, String agentArguments) throws Exception {
        boolean root = "0".equals(String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid")));
        if (!root) {
            Files.setPosixFilePermissions(primed, PosixFilePermissions.fromString("r-xr-xr-x"));
            try {
                return run(List.of(), agentArguments);
            } finally {
                Files.setPosixFilePermissions(primed, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        List<String> readOnly = List.of("unshare", "--mount", "--propagation", "private", "sh", "-c",
                "mount --bind \"$0\" \"$0\" && mount -o remount,bind,ro \"$0\" && exec \"$@\"", primed.toString());
        try (ForkedJvm app = ForkedJvm.startIn(Map.of(), readOnly, agentArguments, List.of(), List.of(), HelloApp.class.getName())) {
            assertEquals(3, app.awaitExit(TIMEOUT), "HelloApp's own exit status");
            assertTrue(app.stdout().contains("server read ping"), app.stdout()::toString);
            return app.stderr().stream().filter(line -> !line.equals("the app's own stderr line")).collect(Collectors.toList());
        }
    }

    private static List<String> run(List<String> jvmArguments, String agentArguments) throws Exception {
        // No XDG_CACHE_HOME: the home decides, as for a user who never set it.
        try (ForkedJvm app = ForkedJvm.startIn(Map.of("XDG_CACHE_HOME", ""), List.of(), agentArguments, jvmArguments,
                List.of(), HelloApp.class.getName())) {
            assertEquals(3, app.awaitExit(TIMEOUT), "HelloApp's own exit status");
            assertTrue(app.stdout().contains("server read ping"), app.stdout()::toString);
            return app.stderr().stream().filter(line -> !line.equals("the app's own stderr line")).collect(Collectors.toList());
        }
    }

    private static List<String> listing(Path directory) throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private static String startUpLine(List<String> stderr) {
        return stderr.stream().filter(line -> line.contains("instrumented")).findFirst().orElse(stderr.toString());
    }
}
