package dev.keepaliveagent.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keepaliveagent.config.AgentArguments;
import dev.keepaliveagent.config.InvalidArgumentException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command in README and docs/ that starts a JVM with the agent is run as it is written, by bash (with
 * {@code java} standing in to print what it was given): it must leave no file behind (an unquoted {@code >}
 * in a rule made files named {@code off} and {@code idle=120}), and the agent argument bash hands over must be
 * accepted, or refused with the very line the docs show after it. Config files shown with rules are read by
 * the agent's parser.
 */
class DocumentedExamplesTest {

    private static final Path PROJECT = Paths.get(System.getProperty("keepalive.project", ".."));
    private static final String REFUSAL = "[keepalive-agent] ERROR: ";

    @Test
    void everyCommandWithTheAgentRunsAsWrittenAndItsArgumentsAreWhatTheDocsSay(@TempDir Path workingDirectory)
            throws Exception {
        int checked = 0;
        for (Path page : pages()) {
            List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
            boolean inBlock = false;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.startsWith("```")) {
                    inBlock = !inBlock;
                    continue;
                }
                StringBuilder command = new StringBuilder(line.startsWith("$ ") ? line.substring(2) : line);
                while (command.toString().endsWith("\\") && i + 1 < lines.size()) {
                    command.setLength(command.length() - 1);
                    command.append(' ').append(lines.get(++i).trim());
                }
                String text = command.toString().trim();
                if (!inBlock || !text.contains("-javaagent:") || !text.contains("keepalive-agent")
                        || !(text.startsWith("java ") || text.startsWith("export JAVA_TOOL_OPTIONS=") || text.startsWith("JAVA_TOOL_OPTIONS="))) {
                    continue;
                }
                String where = page.getFileName() + " line " + (i + 1) + ": " + text;
                String next = i + 1 < lines.size() ? lines.get(i + 1) : "";
                for (String arguments : agentArgumentsAsBashPassesThem(text, workingDirectory, where)) {
                    if (next.startsWith(REFUSAL)) {
                        InvalidArgumentException refusal = assertThrows(InvalidArgumentException.class,
                                () -> AgentArguments.parse(arguments), where);
                        assertEquals(next.substring(REFUSAL.length()), refusal.problem() + " (the app was not started)", where);
                    } else {
                        try {
                            AgentArguments.parse(arguments);
                        } catch (InvalidArgumentException e) {
                            throw new AssertionError(where + " is refused: " + e.getMessage(), e);
                        }
                    }
                    checked++;
                }
            }
        }
        assertTrue(checked >= 6, "the pages hold the commands this test is for: " + checked + " checked");
    }

    @Test
    void everyConfigFileWithRulesIsAcceptedByTheAgentsParser(@TempDir Path directory) throws Exception {
        int checked = 0;
        for (Path page : pages()) {
            List<String> block = null;
            for (String line : Files.readAllLines(page, StandardCharsets.UTF_8)) {
                if (line.startsWith("```properties")) {
                    block = new ArrayList<>();
                } else if (line.startsWith("```") && block != null) {
                    Path file = directory.resolve("example-" + checked + ".conf");
                    Files.write(file, block, StandardCharsets.UTF_8);
                    try {
                        AgentArguments.parse("config=" + file);
                    } catch (InvalidArgumentException e) {
                        throw new AssertionError(page.getFileName() + ": its config file is refused: " + e.getMessage(), e);
                    }
                    checked++;
                    block = null;
                } else if (block != null) {
                    block.add(line);
                }
            }
        }
        assertTrue(checked >= 1, "docs/configuration.md shows a config file");
    }

    /** The agent arguments of every keepalive-agent {@code -javaagent:} that bash makes of {@code command}. */
    private static List<String> agentArgumentsAsBashPassesThem(String command, Path workingDirectory, String where)
            throws IOException, InterruptedException {
        String script = "java() { for a in \"$@\"; do printf 'ARG %s\\n' \"$a\"; done; }\n" + command
                + "\nprintf 'JTO %s\\n' \"${JAVA_TOOL_OPTIONS-}\"\n";
        Process bash = new ProcessBuilder("bash", "-c", script).directory(workingDirectory.toFile()).redirectErrorStream(true)
                .start();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(bash.waitFor(30, TimeUnit.SECONDS), where);
        assertEquals(0, bash.exitValue(), where + "\n" + output);
        try (Stream<Path> left = Files.list(workingDirectory)) {
            assertEquals(List.of(), left.map(p -> p.getFileName().toString()).collect(Collectors.toList()),
                    where + " made files: is it quoted as it must be typed?");
        }
        List<String> found = new ArrayList<>();
        for (String line : output.split("\n")) {
            List<String> options = new ArrayList<>();
            if (line.startsWith("ARG ")) {
                options.add(line.substring(4));
            } else if (line.startsWith("JTO ")) {
                options.addAll(List.of(line.substring(4).split(" ")));
            }
            for (String option : options) {
                int eq = option.indexOf('=');
                if (option.startsWith("-javaagent:") && option.substring(0, eq < 0 ? option.length() : eq).contains("keepalive-agent")) {
                    found.add(eq < 0 ? "" : option.substring(eq + 1));
                }
            }
        }
        assertTrue(!found.isEmpty(), where + ": bash passed no keepalive-agent -javaagent: " + output);
        return found;
    }

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>();
        pages.add(PROJECT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(PROJECT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }
}
