package dev.keepaliveagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keepaliveagent.config.TestSettings;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The agent never breaks the app, refuses bad arguments clearly, and keeps to itself. */
class AgentBehaviourIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void theAppsOutputAndExitCodeAreUnchangedAndTheAgentAddsOnlyItsOwnLines() throws Exception {
        Run plain = Run.of(null, List.of(), HelloApp.class.getName());
        Run withAgent = Run.of("idle=600", List.of(), HelloApp.class.getName());
        assertEquals(3, plain.exitCode);
        assertEquals(plain.exitCode, withAgent.exitCode);
        assertEquals(plain.stdout, withAgent.stdout);
        List<String> appStderr = withAgent.stderr.stream()
                .filter(line -> !line.startsWith("[keepalive-agent] ")).collect(Collectors.toList());
        assertEquals(plain.stderr, appStderr, "no JVM warning or other line added to the app's stderr");
        assertEquals(1, withAgent.stderr.size() - appStderr.size(), () -> "one start-up line: " + withAgent.stderr);
        String startUp = withAgent.stderr.get(0);
        assertTrue(startUp.startsWith("[keepalive-agent] INFO: keepalive-agent " + TestJvm.VERSION + " on JDK "), startUp);
        assertTrue(startUp.contains("idle=600s (args) intvl=30s (default) cnt=4 (default)"), startUp);
        String hooked = expectedHookPoints(TestJvm.feature());
        assertTrue(startUp.contains("; " + hooked.split(", ").length + " JDK methods hooked ("), startUp);
        assertTrue(startUp.length() < 600, () -> "the start-up line fits a screen: " + startUp.length() + " characters");
        Run debug = Run.of("idle=600,log=debug", List.of(), HelloApp.class.getName());
        assertTrue(debug.stderr.contains("[keepalive-agent] DEBUG: hooked: " + hooked), debug.stderr::toString);
    }

    /** What each JDK family has, as the sources of each JDK show it (README's table of JDKs says the same). */
    private static String expectedHookPoints(int jdk) {
        String dispatcher = "SocketDispatcher.read, SocketDispatcher.readv, SocketDispatcher.write, SocketDispatcher.writev, ";
        if (jdk <= 12) {
            return "Net.connect, Net.setSocketOption, Socket.postAccept, new SocketChannelImpl, "
                    + "UnixAsynchronousServerSocketChannelImpl.finishAccept, " + dispatcher + "SocketDispatcher.close, "
                    + "AbstractPlainSocketImpl.doConnect, AbstractPlainSocketImpl.setOption, "
                    + "PlainSocketImpl.setOption, AbstractPlainSocketImpl.close, SocketInputStream.socketRead, "
                    + "SocketOutputStream.socketWrite";
        }
        return "Net.connect, Net.setSocketOption, " + (jdk <= 18 ? "Socket.postAccept" : "Socket.setConnectedImpl")
                + ", ServerSocketChannelImpl.finishAccept, UnixAsynchronousServerSocketChannelImpl.finishAccept, " + dispatcher
                + (jdk <= 20 ? "SocketDispatcher.close" : "UnixDispatcher.close");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "idle=0      | [keepalive-agent] ERROR: idle=0 is out of range; expected seconds as 600, or with a unit (ms, s, m, h) as 90s, 10m, 2h, 1..32767 seconds (the app was not started)",
        "utimeout=7000 | [keepalive-agent] ERROR: utimeout=7000 has no unit (a bare number was once read as milliseconds, so it is refused, not guessed): write utimeout=7000s for seconds, utimeout=7000ms for milliseconds; expected a duration with its unit (ms, s, m, h) as 30s, 2m, 1500ms, 1s..2147483647ms, or auto (idle + intvl × cnt, within the kernel's own limit), or off (the app was not started)",
        "idle=10M    | [keepalive-agent] ERROR: idle=10M has an unknown unit 'M': units are lower case (10m); expected seconds as 600, or with a unit (ms, s, m, h) as 90s, 10m, 2h, 1..32767 seconds (the app was not started)",
        "cnt=500     | [keepalive-agent] ERROR: cnt=500 is out of range; expected a whole number of probes 1..127 (the app was not started)",
        "idel=600    | [keepalive-agent] ERROR: unknown option 'idel' in 'idel=600'; accepted keys: {options}, enabled, rules, log, logfile, logformat, logtime, cache, config (the app was not started)",
        "idle        | [keepalive-agent] ERROR: 'idle' is not a key=value pair (loaded by jcmd JVMTI.agent_load? jcmd drops '=' and what follows it: load with java -jar keepalive-agent.jar attach PID idle=VALUE); write options as key=value separated by commas, e.g. idle=600,intvl=60,cnt=20 (accepted keys: {options}, enabled, rules, log, logfile, logformat, logtime, cache, config) (the app was not started)",
    })
    void aBadArgumentStopsTheJvmWithOneClearLine(String arguments, String refusal) throws Exception {
        Run run = Run.of(arguments, List.of(), HelloApp.class.getName());
        assertEquals(1, run.exitCode, "the JVM refuses to start");
        assertEquals(List.of(), run.stdout, "the app never ran");
        assertEquals(List.of(TestSettings.withOptionKeys(refusal)), run.stderr, "exactly one line, no stack trace");
    }

    /** Under logformat=json the refusal is one JSON object too, whichever source chose the format. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "logformat=json,idle=0 | ",
        "idle=0                | -Dkeepalive.logformat=json",
    })
    void aBadArgumentUnderJsonLoggingIsRefusedInJson(String arguments, String jvmArg) throws Exception {
        Run run = Run.of(arguments, jvmArg == null ? List.of() : List.of(jvmArg), HelloApp.class.getName());
        assertEquals(1, run.exitCode, "the JVM refuses to start");
        assertEquals(1, run.stderr.size(), () -> "exactly one line: " + run.stderr);
        String line = run.stderr.get(0);
        assertTrue(line.matches("\\{\"time\":\"[0-9T:.Z-]+\",\"level\":\"ERROR\",\"logger\":\"keepalive-agent\","
                + "\"message\":\"idle=0 is out of range; expected seconds as 600, or with a unit \\(ms, s, m, h\\) as 90s, 10m, 2h, 1..32767"
                + " seconds \\(the app was not started\\)\",\"event\":\"keepalive.BadArgument\"}"), line);
    }

    @Test
    void anAppWithItsOwnByteBuddyAndTinylogRunsUnchanged() throws Exception {
        List<Path> classpath = new ArrayList<>();
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(TestJvm.appLibs(), "*.jar")) {
            jars.forEach(classpath::add);
        }
        classpath.add(TestJvm.testClasses().resolve("app-config"));
        // The app's tinylog.* properties and files must not reach the agent's log either.
        List<String> jvmArgs = List.of("-Dtinylog.writer.format=SYSPROP {message}");
        Run plain = Run.of(null, jvmArgs, classpath, OwnLibrariesApp.class.getName());
        Run withAgent = Run.of("", jvmArgs, classpath, OwnLibrariesApp.class.getName());

        assertEquals(0, plain.exitCode, () -> String.join("\n", plain.stderr));
        assertTrue(plain.mainReturned && withAgent.mainReturned, "both runs got to the end of main");
        assertTrue(plain.stdout.contains("byte-buddy byte-buddy-1.14.12.jar"), () -> plain.stdout.toString());
        assertTrue(plain.stdout.contains("tinylog tinylog-api-2.6.2.jar"), () -> plain.stdout.toString());
        assertTrue(plain.stdout.contains("SYSPROP connected with keepalive=false"), () -> plain.stdout.toString());

        assertEquals(0, withAgent.exitCode, () -> String.join("\n", withAgent.stderr));
        List<String> expected = new ArrayList<>(plain.stdout);
        expected.set(expected.indexOf("SYSPROP connected with keepalive=false"), "SYSPROP connected with keepalive=true");
        assertEquals(expected, withAgent.stdout, "the app's own Byte Buddy and tinylog work as before");
        assertFalse(withAgent.stderr.isEmpty());
        for (String line : withAgent.stderr) {
            assertTrue(line.startsWith("[keepalive-agent] "), () -> "the agent's log keeps its own format: " + line);
        }
    }

    @Test
    void aSecondStartTakesTheWovenClassesFromTheCacheWithoutByteBuddy(@org.junit.jupiter.api.io.TempDir Path temp)
            throws Exception {
        String args = "cache=" + temp.resolve("cache");
        Run first = Run.of(args, List.of("-verbose:class"), HelloApp.class.getName());
        Run second = Run.of(args, List.of("-verbose:class"), HelloApp.class.getName());
        int classes = TestJvm.wovenJdkClasses();
        assertTrue(startUpLine(first).contains(" 0 of " + classes + " classes from the cache); "), () -> startUpLine(first));
        assertTrue(startUpLine(second).contains(" " + classes + " of " + classes + " classes from the cache); "),
                () -> startUpLine(second));
        assertTrue(first.stdout.stream().anyMatch(line -> line.contains("dev.keepaliveagent.shaded.bytebuddy.")));
        assertFalse(second.stdout.stream().anyMatch(line -> line.contains("dev.keepaliveagent.shaded.bytebuddy.")),
                "no Byte Buddy class is loaded when every woven class comes from the cache");
        // Within a line: -verbose:class logs to the same stdout from other threads, mid-line at times.
        assertTrue(second.stdout.stream().anyMatch(line -> line.contains("server read ping")), "and the app's sockets work");
    }

    private static String startUpLine(Run run) {
        return run.stderr.stream().filter(line -> line.contains("instrumented")).findFirst().orElse(run.stderr.toString());
    }

    @Test
    void javaToolOptionsIsEnough() throws Exception {
        Command run = Command.run(List.of(TestJvm.java().toString(), "-D" + ScenarioLauncher.AWAIT_START_UP + "=true",
                "-cp", TestJvm.testClasses().toString(), ScenarioLauncher.class.getName(), StartUpWindowApp.class.getName()),
                java.util.Map.of("JAVA_TOOL_OPTIONS", "-javaagent:" + TestJvm.agentJar() + "=idle=321"), "check\n\n", Command.LIMIT);
        String stdout = run.out();
        String stderr = run.err();
        assertEquals(0, run.exit, stderr);
        assertTrue(stdout.contains("first-statement-client keepalive=true idle=321"), stdout + stderr);
        assertTrue(stdout.contains("first-statement-accepted keepalive=true idle=321"), stdout + stderr);
        assertTrue(stderr.contains("[keepalive-agent] INFO: keepalive-agent"), stderr);
    }

    @Test
    void theJarHoldsOnlyTheProjectsPackageAndMetaInf() throws Exception {
        try (JarFile jar = new JarFile(TestJvm.agentJar().toFile())) {
            List<String> strays = jar.stream().map(JarEntry::getName)
                    .filter(name -> !name.startsWith("dev/keepaliveagent/") && !name.startsWith("META-INF/")
                            && !name.equals("dev/"))
                    .collect(Collectors.toList());
            assertEquals(List.of(), strays);
            // Byte Buddy and tinylog are entries of one stored entry: the JVM indexes each entry of the jar itself.
            assertTrue(jar.size() < 200, "entries of the jar itself: " + jar.size());
            assertFalse(jar.stream().anyMatch(e -> e.getName().startsWith("dev/keepaliveagent/shaded/")));
            JarEntry nested = jar.getJarEntry("META-INF/keepalive-agent/shaded.jar");
            assertEquals(java.util.zip.ZipEntry.STORED, nested.getMethod(), "read in place, so stored");
            List<String> shaded = new java.util.ArrayList<>();
            try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(jar.getInputStream(nested))) {
                for (java.util.zip.ZipEntry e; (e = in.getNextEntry()) != null; ) {
                    shaded.add(e.getName());
                }
            }
            assertEquals(List.of(), shaded.stream().filter(name -> !name.startsWith("dev/keepaliveagent/shaded/"))
                    .collect(Collectors.toList()));
            assertTrue(shaded.stream().anyMatch(name -> name.startsWith("dev/keepaliveagent/shaded/bytebuddy/")));
            assertTrue(shaded.stream().anyMatch(name -> name.startsWith("dev/keepaliveagent/shaded/tinylog/")));
            Attributes manifest = jar.getManifest().getMainAttributes();
            assertEquals("dev.keepaliveagent.AgentEntry", manifest.getValue("Premain-Class"));
            assertEquals("dev.keepaliveagent.AgentEntry", manifest.getValue("Agent-Class"));
            assertEquals("true", manifest.getValue("Can-Retransform-Classes"));
            assertEquals(TestJvm.VERSION, manifest.getValue("Implementation-Version"));
            // What Apache-2.0 asks of a redistribution: the license, and a NOTICE naming what the jar bundles.
            assertTrue(new String(jar.getInputStream(jar.getJarEntry("META-INF/LICENSE")).readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8).contains("Apache License"));
            String notice = new String(jar.getInputStream(jar.getJarEntry("META-INF/NOTICE")).readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(notice.contains("Byte Buddy") && notice.contains("tinylog") && notice.contains("ASM"), notice);
            assertTrue(jar.getJarEntry("META-INF/licenses/ASM") != null);
        }
    }

    /** A finished child JVM. */
    static final class Run {
        final int exitCode;
        final boolean mainReturned;
        final List<String> stdout;
        final List<String> stderr;

        private Run(int exitCode, boolean mainReturned, List<String> stdout, List<String> stderr) {
            this.exitCode = exitCode;
            this.mainReturned = mainReturned;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        static Run of(String agentArgs, List<String> jvmArgs, String mainClass) throws Exception {
            return of(agentArgs, jvmArgs, List.of(), mainClass);
        }

        static Run of(String agentArgs, List<String> jvmArgs, List<Path> classpath, String mainClass) throws Exception {
            try (ForkedJvm child = ForkedJvm.start(agentArgs, jvmArgs, classpath, mainClass)) {
                int exit = child.awaitExit(TIMEOUT);
                return new Run(exit, child.mainReturned(), child.stdout(), child.stderr());
            }
        }
    }
}
