package dev.keepaliveagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** What every dead-peer test checks of the app's exception and of the agent's line. */
final class DeadPeerChecks {

    /**
     * From the kernel's give-up to the app's line in the test: the kernel's keepalive timer fires on time,
     * but the JVM it wakes runs on a machine busy with other test classes beside this one.
     */
    static final Duration APP_REACTS = Duration.ofSeconds(3);

    /** The peer's port, inside the namespaces each test makes. */
    static final int PORT = 7000;
    /** For a JVM to start and get to its first line, on a busy machine. */
    static final Duration START = Duration.ofSeconds(60);
    /** The agent's settings in the dead-peer tests, and the kernel's bound for them: idle + intvl * cnt. */
    static final String FAST = "idle=3,intvl=1,cnt=3";
    static final Duration BOUND = Duration.ofSeconds(3 + 1 * 3);

    /** How long a second dead-peer line, if the agent wrote one, would take to follow the first. */
    private static final Duration SECOND_LINE = Duration.ofMillis(500);

    private DeadPeerChecks() {
    }

    /**
     * The app's FAILED line, right after the link was cut: within the kernel's bound for {@link #FAST} (and
     * the app's reaction), with ETIMEDOUT in the app's language.
     */
    static String awaitTimedOut(ForkedJvm app, String locale) throws InterruptedException {
        long cut = System.nanoTime();
        String failed = app.awaitLine("FAILED", BOUND.plus(APP_REACTS));
        Duration detected = Duration.ofNanos(System.nanoTime() - cut);
        assertTimedOutIn(locale, failed);
        assertTrue(detected.compareTo(BOUND.plus(APP_REACTS)) <= 0, () -> "detected after " + detected);
        return failed;
    }

    /** The app's own exception: ETIMEDOUT, in English or, where the C library speaks another language, not. */
    static void assertTimedOutIn(String locale, String failed) {
        if (TestLocales.translated(locale)) {
            assertFalse(failed.contains("Connection timed out"), () -> "the C library speaks " + locale + ": " + failed);
        } else {
            assertTrue(failed.contains("Connection timed out"), failed);
        }
    }

    /** The message of the exception in "FAILED java.net.SocketException: 连接超时". */
    static String messageOf(String failed) {
        return failed.substring(failed.indexOf(": ") + 2);
    }

    /**
     * The agent's one dead-peer line. It is written as the app's read fails, so it may reach the test a
     * little after the app's own; fails if there is none within 5 s, or a second one.
     */
    static String onlyDeadPeerLine(ForkedJvm jvm) throws InterruptedException {
        jvm.awaitStderr("dead peer", Duration.ofSeconds(5));
        Thread.sleep(SECOND_LINE.toMillis());
        List<String> all = jvm.stderr().stream().filter(l -> l.contains("dead peer")).collect(Collectors.toList());
        assertEquals(1, all.size(), () -> "exactly one dead-peer line: " + jvm.stderr());
        return all.get(0);
    }

    /** "10.233.0.2:40312" from "CONNECTED local=/10.233.0.2:40312 remote=/10.233.0.1:7000". */
    static String address(String connectedLine, String which) {
        Matcher matcher = Pattern.compile(which + "=[^/ ]*/([0-9.]+:[0-9]+)").matcher(connectedLine);
        assertTrue(matcher.find(), connectedLine);
        return matcher.group(1);
    }
}
