package dev.keepaliveagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Root's {@code doctor PID} and {@code attach PID} against a process of a second real user: refused
 * with one line unless the operator gives {@code --other-user}; with it, doctor reads the kernel's view
 * of the process and nothing the process itself would send.
 */
class OtherUsersProcessIT {

    private static SecondUser other;
    private static Command.Running process;
    private static long pid;

    @BeforeAll
    static void startAProcessOfAnotherUser() throws Exception {
        other = SecondUser.create();
        process = other.startShell("exec sleep 120");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (pid == 0) {
            Command found = Command.run("pgrep", "-u", other.name, "-x", "sleep");
            if (found.exit == 0) {
                pid = Long.parseLong(found.stdout.get(0).trim());
            } else {
                assertTrue(System.nanoTime() < deadline, "the other user's process never started");
                Thread.sleep(20);
            }
        }
    }

    @AfterAll
    static void stopIt() throws Exception {
        if (process != null) {
            try {
                process.finish(Duration.ofMillis(1));
            } catch (AssertionError killedAsItShouldBe) {
                // still sleeping, as it should be: killed, and waited for until it is gone
            }
        }
        if (other != null) {
            other.close();
        }
    }

    @Test
    void doctorRefusesAnotherUsersProcessWithOneLine() throws Exception {
        Command doctor = TestJvm.agentCommand("doctor", String.valueOf(pid));
        assertEquals(1, doctor.exit, doctor::toString);
        String last = doctor.stdout.get(doctor.stdout.size() - 1);
        assertEquals("process " + pid + " belongs to uid " + other.uid + ", not to this user (uid 0): it would answer doctor"
                + " with whatever its owner wants; run doctor as that user, or give --other-user to go on (what it sends is"
                + " then taken as text, escaped, and never deserialised)", last);
        assertEquals(List.of(), doctor.stderr);
    }

    @Test
    void doctorGoesOnWithOtherUserAndReadsTheKernelsView() throws Exception {
        Command doctor = TestJvm.agentCommand("doctor", String.valueOf(pid), "--other-user");
        assertEquals(0, doctor.exit, doctor::toString);
        assertTrue(doctor.stdout.contains("process " + pid + ": TCP connections as its kernel sees them"), doctor::toString);
    }

    @Test
    void attachRefusesAnotherUsersProcessWithOneLine() throws Exception {
        Command attach = TestJvm.agentCommand("attach", String.valueOf(pid), "idle=60");
        assertEquals(1, attach.exit, attach::toString);
        assertEquals(List.of("keepalive-agent attach: process " + pid + " belongs to uid " + other.uid + ", not to this user"
                + " (uid 0): it would answer attach with whatever its owner wants; run attach as that user, or give"
                + " --other-user to go on (what it sends is then taken as text, escaped, and never deserialised)"), attach.stderr);
        Command anyway = TestJvm.agentCommand("attach", String.valueOf(pid), "idle=60", "--other-user");
        assertEquals(1, anyway.exit, anyway::toString);
        assertEquals(List.of("keepalive-agent attach: process " + pid + " is not a JVM (no libjvm.so among its mappings),"
                + " or belongs to another user"), anyway.stderr, "past the owner's check, to the next");
    }
}
