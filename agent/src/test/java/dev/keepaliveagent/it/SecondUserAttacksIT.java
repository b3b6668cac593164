package dev.keepaliveagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second real user of the machine attacks what the agent reads from disk in root's JVMs: the cache
 * of woven classes (whose bytes become part of {@code java.base}), {@code cache-warm}, the config file
 * and the log file. Every attack must fail, the victim's app must run, and the victim sees one clear
 * line. The attacker's bytes are a class file that cannot be defined, wrapped in an entry whose digest
 * is right: a victim that took them would fail to weave (a WARN, a swallowed error, fewer hooks),
 * which {@link ForkedJvm} and {@link #victim} would report.
 */
class SecondUserAttacksIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final byte[] ATTACKERS_CLASS = "not a class file: the attacker's bytes".getBytes(StandardCharsets.UTF_8);
    private static final int VICTIM_STARTS = 20;

    private static SecondUser attacker;
    /** The names a cache entry has for this JDK and agent build: public knowledge, the attacker can compute them. */
    private static List<String> entryNames;
    private static int hookedMethods;

    @TempDir
    Path temp;
    private Path shared;

    @BeforeAll
    static void makeTheAttacker(@TempDir Path legit) throws Exception {
        attacker = SecondUser.create();
        Path cache = legit.resolve("cache");
        List<String> run = victimRun(legit, "cache=" + cache, List.of());
        entryNames = listing(cache);
        assertEquals(TestJvm.wovenJdkClasses(), entryNames.size(), entryNames::toString);
        hookedMethods = hooked(run);
    }

    @AfterAll
    static void deleteTheAttacker() throws Exception {
        if (attacker != null) {
            attacker.close();
        }
    }

    /** A directory as /tmp is: root's, sticky, writable by all; its parent one everyone may pass through. */
    @BeforeEach
    void makeASharedTemporaryDirectory() throws Exception {
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
        shared = Files.createDirectory(temp.resolve("shared"));
        assertEquals(0, Command.run("chmod", "1777", shared.toString()).exit);
    }

    @Test
    void theFallbackSquattedAndSwappedUnderTwentyRootStartsNeverHandsOverTheAttackersBytes() throws Exception {
        Path rootsOwn = temp.resolve("roots-cache");
        victim("cache=" + rootsOwn);
        Files.setPosixFilePermissions(rootsOwn, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path planted = plantedDirectory("planted");
        List<String> rootsOwnBefore = listing(rootsOwn);
        // The usual fallback name: the attacker's own directory of planted entries.
        attacker.shell("mkdir -m 755 \"$1\" && cp \"$2\"/* \"$1\"/", shared.resolve("keepalive-agent-0").toString(),
                planted.toString());
        // The next name: swapped without pause between root's own cache and the planted entries.
        Path swapped = shared.resolve("keepalive-agent-0-2");
        Path stop = temp.resolve("stop");
        Command.Running swapping = attacker.startShell("cd \"$1\" && end=$(($(date +%s) + 240)) && "
                + "while [ ! -e \"$4\" ] && [ $(date +%s) -lt $end ]; do "
                + "ln -sfn \"$2\" .a && mv -Tf .a keepalive-agent-0-2; ln -sfn \"$3\" .b && mv -Tf .b keepalive-agent-0-2; done",
                shared.toString(), rootsOwn.toString(), planted.toString(), stop.toString());
        try {
            awaitSymbolicLink(swapped);
            for (int start = 1; start <= VICTIM_STARTS; start++) {
                List<String> lines = victim("");
                List<String> said = lines.stream().filter(line -> line.contains("cache of woven classes")).collect(Collectors.toList());
                assertEquals(1, said.size(), "start " + start + ": " + lines);
                assertTrue(said.get(0).startsWith("[keepalive-agent] INFO: the cache of woven classes is in "
                        + shared.resolve("keepalive-agent-0-3") + ": "), said::toString);
            }
        } finally {
            Files.createFile(stop);
            swapping.finish(Duration.ofSeconds(30));
        }
        Path used = shared.resolve("keepalive-agent-0-3");
        assertEquals(0, Files.getAttribute(used, "unix:uid", LinkOption.NOFOLLOW_LINKS), "root's own");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(used, LinkOption.NOFOLLOW_LINKS)));
        assertEquals(entryNames, listing(used), "root's own entries, no stray .tmp");
        assertEquals(rootsOwnBefore, listing(rootsOwn), "nothing written into the directory the attacker chose");
        assertEquals(entryNames, listing(shared.resolve("keepalive-agent-0")), "nothing written into the attacker's");
        assertEquals(entryNames, listing(planted), "nor into the planted entries");
    }

    @Test
    void anEntryOthersMayWriteIsNotUsedAndIsReplacedByRootsOwn() throws Exception {
        Path cache = temp.resolve("cache");
        victim("cache=" + cache);
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path entry = cache.resolve(entryNames.get(0));
        Files.setPosixFilePermissions(entry, PosixFilePermissions.fromString("rw-rw-rw-"));
        Path planted = plantedDirectory("planted");
        Command wrote = attacker.shell("cat \"$1\" > \"$2\"", planted.resolve(entryNames.get(0)).toString(), entry.toString());
        assertEquals(0, wrote.exit, wrote::toString);

        List<String> lines = victim("cache=" + cache);
        assertEquals(List.of("[keepalive-agent] INFO: not using an entry of the cache of woven classes: others may write to "
                + entry + " (rw-rw-rw-); that class is woven anew (logged once; later occurrences are counted)"),
                lines.stream().filter(line -> line.contains("cache of woven classes")).collect(Collectors.toList()),
                lines::toString);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(entry)));
        assertEquals(0, Files.getAttribute(entry, "unix:uid"), "woven anew and stored by root");
    }

    @Test
    void aManifestOnTheBootClassPathDoesNotChooseTheCachesKey() throws Exception {
        Path cache = Files.createDirectory(temp.resolve("cache"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwx------"));
        String build;
        try (java.util.jar.JarFile agent = new java.util.jar.JarFile(TestJvm.agentJar().toFile())) {
            build = agent.getManifest().getMainAttributes().getValue("Build-Id");
        }
        for (String name : entryNames) {
            assertTrue(name.contains("." + build + "."), name);
            Files.write(cache.resolve(name.replace("." + build + ".", ".hostile-1.")), entry(ATTACKERS_CLASS));
        }
        Path jar = temp.resolve("hostile.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Build-Id", "hostile-1");
        new JarOutputStream(Files.newOutputStream(jar), manifest).close();

        List<String> lines = victimRun(temp, "cache=" + cache, List.of("-Xbootclasspath/a:" + jar));
        assertTrue(startUpLine(lines).contains(" 0 of " + entryNames.size() + " classes from the cache)"), lines::toString);
        List<String> stored = listing(cache);
        stored.removeIf(name -> name.contains(".hostile-1."));
        assertEquals(entryNames, stored, "woven anew and stored under the agent's own build");
    }

    @Test
    void cacheWarmAsRootRefusesTheAttackersSymbolicLinkAndDirectory() throws Exception {
        Path rootOnly = Files.createDirectory(temp.resolve("root-only"));
        Files.setPosixFilePermissions(rootOnly, PosixFilePermissions.fromString("rwx------"));
        Path home = shared.resolve("home");
        assertEquals(0, attacker.run("mkdir", "-m", "755", home.toString()).exit);
        assertEquals(0, attacker.run("ln", "-s", rootOnly.toString(), home.resolve("cache").toString()).exit);

        Command linked = cacheWarm(home.resolve("cache"));
        assertEquals(2, linked.exit, linked::toString);
        assertEquals(List.of("keepalive-agent cache-warm: " + home.resolve("cache") + " is a symbolic link; give the directory"
                + " itself"), linked.stderr);
        Command inTheirs = cacheWarm(home.resolve("new-cache"));
        assertEquals(2, inTheirs.exit, inTheirs::toString);
        assertEquals(1, inTheirs.stderr.size(), inTheirs::toString);
        assertTrue(inTheirs.stderr.get(0).startsWith("keepalive-agent cache-warm: the agent would not trust "
                + home.resolve("new-cache") + ": " + home + " belongs to uid " + attacker.uid), inTheirs::toString);

        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(rootOnly)), "mode kept");
        assertEquals(List.of(), listing(rootOnly), "nothing written");
        assertEquals(List.of("cache"), listing(home), "nothing made in the attacker's directory");
    }

    @Test
    void aFifoOrAnEndlessDeviceAsConfigStopsTheJvmAtOnceWithOneLine() throws Exception {
        Path fifo = shared.resolve("app.conf");
        assertEquals(0, attacker.run("mkfifo", "-m", "666", fifo.toString()).exit);
        String refusal = " cannot be read: " + fifo + " is a FIFO, not a regular file; expected a regular file of at most"
                + " 64 KiB (the app was not started)";
        assertRefused(Map.of(), "config=" + fifo, "[keepalive-agent] ERROR: config=" + fifo + refusal);
        assertRefused(Map.of("KEEPALIVE_CONFIG", fifo.toString()), "",
                "[keepalive-agent] ERROR: config=" + fifo + " (from KEEPALIVE_CONFIG)" + refusal);
        assertRefused(Map.of(), "config=/dev/zero", "[keepalive-agent] ERROR: config=/dev/zero cannot be read: /dev/zero is"
                + " a character device, not a regular file; expected a regular file of at most 64 KiB (the app was not started)");
    }

    @Test
    void aFifoAsLogFileStallsNoJvmEvenWithTheAgentGivenTwice() throws Exception {
        Path fifo = shared.resolve("agent.log");
        assertEquals(0, attacker.run("mkfifo", "-m", "666", fifo.toString()).exit);
        String agent = "-javaagent:" + TestJvm.agentJar() + "=logfile=" + fifo;
        List<String> lines = victimIn(Map.of("JAVA_TOOL_OPTIONS", agent), "logfile=" + fifo, List.of());
        String cannot = "[keepalive-agent] WARN: cannot write the log file " + fifo + " (" + fifo
                + " is a FIFO, not a regular file); logging to standard error instead";
        assertTrue(lines.contains(cannot), lines::toString);
        assertTrue(lines.stream().anyMatch(line -> line.contains("[keepalive-agent] WARN: keepalive-agent is loaded a"
                + " second time")), lines::toString);
        assertFalse(lines.stream().anyMatch(line -> line.contains("[keepalive-agent] WARN:") && !line.equals(cannot)
                && !line.contains("loaded a second time")), lines::toString);
    }

    @Test
    void aSymbolicLinkAsLogFileIsNotFollowed() throws Exception {
        Path rootOnly = Files.createDirectory(temp.resolve("root-only"));
        Path secret = Files.writeString(rootOnly.resolve("secret"), "root's\n");
        Path link = shared.resolve("agent.log");
        Path dangling = shared.resolve("dangling.log");
        assertEquals(0, attacker.run("ln", "-s", secret.toString(), link.toString()).exit);
        assertEquals(0, attacker.run("ln", "-s", rootOnly.resolve("made-by-root").toString(), dangling.toString()).exit);
        for (Path named : List.of(link, dangling)) {
            List<String> lines = victim("logfile=" + named);
            assertTrue(lines.contains("[keepalive-agent] WARN: cannot write the log file " + named + " (" + named
                    + " is a symbolic link, which the agent does not follow; name the file itself); logging to standard"
                    + " error instead"), lines::toString);
            assertTrue(Files.isSymbolicLink(named));
        }
        assertEquals(List.of("root's"), Files.readAllLines(secret));
        assertEquals(List.of("secret"), listing(rootOnly));
    }

    /** A planted entry for every name the cache would look up: the attacker's bytes with a right digest. */
    private Path plantedDirectory(String name) throws Exception {
        Path planted = Files.createDirectory(temp.resolve(name));
        for (String entry : entryNames) {
            attacker.own(Files.write(planted.resolve(entry), entry(ATTACKERS_CLASS)));
        }
        Files.setPosixFilePermissions(planted, PosixFilePermissions.fromString("rwxr-xr-x"));
        attacker.own(planted);
        return planted;
    }

    private static byte[] entry(byte[] woven) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(woven);
        return ByteBuffer.allocate(40 + woven.length).putInt(0x4b41_5732).put(digest).putInt(woven.length).put(woven).array();
    }

    private void assertRefused(Map<String, String> environment, String agentArguments, String line) throws Exception {
        long started = System.nanoTime();
        try (ForkedJvm jvm = ForkedJvm.startIn(environment, List.of(), agentArguments, List.of(), List.of(),
                HelloApp.class.getName())) {
            assertEquals(1, jvm.awaitExit(Duration.ofSeconds(20)), jvm::transcript);
            assertEquals(List.of(), jvm.stdout(), "the app never ran");
            assertEquals(List.of(line), jvm.stderr(), "exactly one line");
        }
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(10).toNanos(), "at once, not after a wait");
    }

    private static Command cacheWarm(Path directory) throws Exception {
        return TestJvm.agentCommand("cache-warm", directory.toString());
    }

    /** Root's app, with its cache under {@code shared} unless the arguments choose one: runs, fully hooked. */
    private List<String> victim(String agentArguments) throws Exception {
        return victimIn(Map.of(), agentArguments, List.of());
    }

    private List<String> victimIn(Map<String, String> environment, String agentArguments, List<String> jvmArguments)
            throws Exception {
        List<String> lines = victimRun(shared, environment, agentArguments, jvmArguments);
        assertEquals(hookedMethods, hooked(lines), lines::toString);
        return lines;
    }

    private static List<String> victimRun(Path temporary, String agentArguments, List<String> jvmArguments) throws Exception {
        return victimRun(temporary, Map.of(), agentArguments, jvmArguments);
    }

    private static List<String> victimRun(Path temporary, Map<String, String> environment, String agentArguments,
                                          List<String> jvmArguments) throws Exception {
        Map<String, String> withoutXdg = new java.util.HashMap<>(environment);
        withoutXdg.put("XDG_CACHE_HOME", "");
        List<String> arguments = new ArrayList<>(List.of("-Duser.home=/proc/no-such-home", "-Djava.io.tmpdir=" + temporary));
        arguments.addAll(jvmArguments);
        try (ForkedJvm app = ForkedJvm.startIn(withoutXdg, List.of(), agentArguments, arguments, List.of(),
                HelloApp.class.getName())) {
            assertEquals(3, app.awaitExit(TIMEOUT), app::transcript);
            assertTrue(app.stdout().contains("server read ping"), app::transcript);
            List<String> lines = app.stderr().stream().filter(line -> !line.equals("the app's own stderr line")
                    && !line.startsWith("Picked up JAVA_TOOL_OPTIONS")).collect(Collectors.toList());
            assertFalse(lines.stream().anyMatch(line -> line.contains("ERROR")), lines::toString);
            return lines;
        }
    }

    private static int hooked(List<String> lines) {
        String line = startUpLine(lines);
        int at = line.indexOf(" JDK methods hooked");
        assertTrue(at > 0, lines::toString);
        return Integer.parseInt(line.substring(line.lastIndexOf(' ', at - 1) + 1, at));
    }

    private static String startUpLine(List<String> lines) {
        return lines.stream().filter(line -> line.contains(" JDK methods hooked")).findFirst().orElse(lines.toString());
    }

    private static void awaitSymbolicLink(Path path) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.isSymbolicLink(path)) {
            assertTrue(System.nanoTime() < deadline, "the attacker's loop never made " + path);
            Thread.sleep(10);
        }
    }

    private static List<String> listing(Path directory) throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }
}
