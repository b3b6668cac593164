package dev.keepaliveagent.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVMs on this host (in this PID namespace) that the user running the command may look into, from
 * /proc: a process with {@code libjvm.so} among its mappings. In a container the app's java is seldom
 * PID 1 (a shell, tini or dumb-init comes first), so doctor lists them rather than guess.
 */
final class JvmProcesses {

    private static final Path PROC = Paths.get("/proc");

    private JvmProcesses() {
    }

    static boolean isJvm(Path process) {
        try {
            for (String line : Files.readAllLines(process.resolve("maps"), StandardCharsets.UTF_8)) {
                if (line.endsWith("/libjvm.so")) {
                    return true;
                }
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** "PID what it runs" for each JVM but this one, in PID order. */
    static List<String> list() {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
                    pids.add(Long.parseLong(name));
                }
            }
        } catch (IOException | RuntimeException e) {
            return new ArrayList<>();
        }
        java.util.Collections.sort(pids);
        long self = selfPid();
        List<String> jvms = new ArrayList<>();
        for (long pid : pids) {
            Path process = PROC.resolve(String.valueOf(pid));
            if (pid != self && isJvm(process)) {
                jvms.add(pid + " " + whatItRuns(process));
            }
        }
        return jvms;
    }

    /** The main class, or -jar and its jar, or -m and its module, from the command line. */
    static String whatItRuns(Path process) {
        String[] arguments;
        try {
            arguments = new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8).split("\0");
        } catch (IOException | RuntimeException e) {
            return "(its command line cannot be read)";
        }
        for (int i = 1; i < arguments.length; i++) {
            String argument = arguments[i];
            if (argument.equals("-jar") || argument.equals("-m") || argument.equals("--module")) {
                return i + 1 < arguments.length ? argument + " " + arguments[i + 1] : argument;
            }
            if (argument.equals("-cp") || argument.equals("-classpath") || argument.equals("--class-path")
                    || argument.equals("-p") || argument.equals("--module-path")) {
                i++;
            } else if (!argument.startsWith("-")) {
                return argument;
            }
        }
        return "(no main class on its command line)";
    }

    private static long selfPid() {
        try {
            return Long.parseLong(Files.readSymbolicLink(PROC.resolve("self")).toString());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
