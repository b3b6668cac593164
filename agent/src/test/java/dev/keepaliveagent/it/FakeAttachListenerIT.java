package dev.keepaliveagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Root's {@code doctor} and {@code attach} against a second real user's process that answers the attach
 * protocol with hostile text ({@code attacker/FakeAttachListener.java}): refused unless the operator gives
 * {@code --other-user}; with it, what the process sends is only read as text and printed escaped, and
 * nothing is asked of it but its agent properties (never a management agent, never an agent load).
 */
class FakeAttachListenerIT {

    /** The protocol's version check, the agent properties, and a connection closed unasked (JDK 9 to 24 try one). */
    private static final Set<String> HARMLESS_REQUESTS = Set.of("getversion", "agentProperties", "");

    private static SecondUser other;
    private static Path directory;
    private static Path log;
    private static Command.Running listener;
    private static long pid;

    @BeforeAll
    static void startTheFakeListener() throws Exception {
        other = SecondUser.create();
        directory = Files.createTempDirectory("keepalive-fake-attach");
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path source = directory.resolve("FakeAttachListener.java");
        try (InputStream in = FakeAttachListenerIT.class.getResourceAsStream("/attacker/FakeAttachListener.java")) {
            Files.copy(in, source);
        }
        Files.setPosixFilePermissions(source, PosixFilePermissions.fromString("rw-r--r--"));
        log = Files.createFile(directory.resolve("requests.log"));
        other.own(log);
        for (int start = 1; pid == 0; start++) {
            pid = startTheListener(source);
            assertTrue(pid != 0 || start < 5, "five listeners in a row found their pid's path taken: " + Files.readAllLines(log));
        }
    }

    /** Its pid, or 0 where a process of root's with the same pid left its attach socket (pids are reused). */
    private static long startTheListener(Path source) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java"); // 16+, for its UNIX-domain sockets
        int linesBefore = Files.readAllLines(log).size();
        listener = other.startShell("exec \"$1\" \"$2\" \"$3\"", java.toString(),
                source.toString(), log.toString());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            boolean ended = !listener.isAlive(); // before the log is read: a listener writes its last line, then ends
            List<String> lines = Files.readAllLines(log);
            String first = lines.size() > linesBefore ? lines.get(linesBefore) : "";
            if (first.startsWith("LISTENING ")) {
                return Long.parseLong(first.substring("LISTENING ".length()));
            }
            if (first.startsWith("TAKEN ")) {
                assertEquals(3, listener.finish(Duration.ofSeconds(30)).exit);
                return 0;
            }
            if (ended || System.nanoTime() > deadline) {
                Command what = listener.finish(Duration.ofMillis(1));
                throw new AssertionError("the fake attach listener never listened: " + what);
            }
            Thread.sleep(50);
        }
    }

    @AfterAll
    static void stopIt() throws Exception {
        try {
            if (listener != null) {
                try {
                    listener.finish(Duration.ofMillis(1));
                } catch (AssertionError killedAsItShouldBe) {
                    // still listening, as it should be: killed, and waited for until it is gone
                }
            }
            if (other != null) {
                other.close();
            }
        } finally {
            if (pid != 0) {
                Files.deleteIfExists(Path.of("/tmp/.java_pid" + pid));
            }
            if (directory != null) {
                for (String name : new String[] {"FakeAttachListener.java", "requests.log"}) {
                    Files.deleteIfExists(directory.resolve(name));
                }
                Files.deleteIfExists(directory);
            }
        }
    }

    @Test
    void doctorRefusesItWithOneLineAndAsksItNothing() throws Exception {
        int before = requests().size();
        Command doctor = TestJvm.agentCommand("doctor", String.valueOf(pid));
        assertEquals(1, doctor.exit, doctor::toString);
        assertTrue(doctor.stdout.get(doctor.stdout.size() - 1).startsWith("process " + pid + " belongs to uid " + other.uid
                + ", not to this user (uid 0): "), doctor::toString);
        assertEquals(List.of(), doctor.stderr);
        List<String> asked = requests();
        assertEquals(before, asked.size(), () -> "doctor asked the process: " + asked);
        noTerminalControl(doctor);
    }

    @Test
    void doctorWithOtherUserReadsItsTextEscapedAndAsksForNothingElse() throws Exception {
        int before = requests().size();
        Command doctor = TestJvm.agentCommand("doctor", String.valueOf(pid), "--other-user");
        assertEquals(0, doctor.exit, doctor::toString);
        noTerminalControl(doctor);
        List<String> asked = requests().subList(before, requests().size());
        onlyHarmless(asked);
        assertEquals(TestJvm.feature() > 8, asked.contains("agentProperties"), () -> "asked: " + asked);
        if (asked.contains("agentProperties")) {
            assertTrue(doctor.stdout.contains("keepalive-agent 6.6.6\\u001b]0;owned\\u0007 in process " + pid
                    + ", its settings in force: idle=1s\\n[keepalive-agent] ERROR: forged\\u001b[31m\\u001b[2J\\u009b\\u202e"),
                    doctor::toString);
        } else {
            // JDK 8's attach client takes as root only root's socket: it said nothing to the process at all.
            assertEquals(List.of(), asked);
        }
        assertTrue(doctor.stdout.contains("process " + pid + ": TCP connections as its kernel sees them")
                || doctor.stdout.contains("process " + pid + " (runs keepalive-agent): TCP connections as its kernel sees them"),
                doctor::toString);
    }

    @Test
    void attachWithOtherUserNeverLoadsAnythingIntoIt() throws Exception {
        int before = requests().size();
        Command attach = TestJvm.agentCommand("attach", String.valueOf(pid), "idle=60", "--other-user");
        noTerminalControl(attach);
        List<String> asked = requests().subList(before, requests().size());
        onlyHarmless(asked);
        assertEquals(TestJvm.feature() > 8, asked.contains("agentProperties"), () -> "asked: " + asked);
        if (asked.contains("agentProperties")) {
            assertEquals(3, attach.exit, attach::toString);
            assertEquals(List.of("keepalive-agent attach: keepalive-agent 6.6.6\\u001b]0;owned\\u0007 already runs in JVM " + pid
                    + ", nothing changed: a running agent keeps its settings (restart the JVM to change them); in force:"
                    + " idle=1s\\n[keepalive-agent] ERROR: forged\\u001b[31m\\u001b[2J\\u009b\\u202e"), attach.stderr);
        } else {
            assertEquals(1, attach.exit, attach::toString);
        }
    }

    /** The commands the process was sent, in order. */
    private static List<String> requests() throws Exception {
        List<String> commands = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith("REQUEST ")) {
                String[] parts = line.split(" ");
                commands.add(parts.length > 2 ? parts[2] : "");
            }
        }
        return commands;
    }

    private static void onlyHarmless(List<String> asked) {
        for (String command : asked) {
            assertTrue(HARMLESS_REQUESTS.contains(command), () -> "asked the process " + command + ": " + asked);
        }
    }

    /** No byte that drives a terminal, and no line that starts as the agent's own log lines do. */
    private static void noTerminalControl(Command command) {
        for (List<String> stream : List.of(command.stdout, command.stderr)) {
            for (String line : stream) {
                for (char c : line.toCharArray()) {
                    assertFalse(c < 0x20 && c != '\t' || c >= 0x7f && c <= 0x9f || c == 0x202e || c == 0x2028,
                            () -> "a control character in: " + line);
                }
                assertFalse(line.startsWith("[keepalive-agent] ERROR"), line);
            }
        }
    }
}
