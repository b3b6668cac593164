package dev.keepaliveagent.it;

import java.io.IOException;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * The languages a child JVM's C library speaks in the dead-peer tests: "C" (English), or a locale
 * compiled for the tests with {@code localedef} into target/locales (no root needed, nothing of the
 * machine's changed) and found through {@code LOCPATH}. The translations of the C library's messages
 * come from Debian's {@code libc-l10n}, which {@code .ci/run} installs. Where a locale cannot be
 * made the test is skipped with the reason, except under CI, where it fails.
 */
final class TestLocales {

    private TestLocales() {
    }

    /** The environment that makes a child speak {@code locale}. */
    static Map<String, String> environment(String locale) throws IOException, InterruptedException {
        if (locale.equals("C")) {
            return Map.of("LC_ALL", "C.UTF-8");
        }
        return Map.of("LC_ALL", locale, "LOCPATH", compiled(locale).getParent().toString());
    }

    /** Whether the C library's messages in this locale are translated (English in "C"). */
    static boolean translated(String locale) {
        return !locale.equals("C");
    }

    private static synchronized Path compiled(String locale) throws IOException, InterruptedException {
        Path directory = TestJvm.agentJar().getParent().resolve("locales");
        Path compiled = directory.resolve(locale);
        if (Files.isDirectory(compiled)) {
            return compiled;
        }
        Files.createDirectories(directory);
        String language = locale.substring(0, locale.indexOf('_'));
        String problem = null;
        if (!Files.exists(Path.of("/usr/share/locale", language, "LC_MESSAGES", "libc.mo"))
                && !Files.exists(Path.of("/usr/share/locale", locale.substring(0, locale.indexOf('.')), "LC_MESSAGES", "libc.mo"))) {
            problem = "the C library's translations for " + language + " are not installed (Debian: libc-l10n)";
        } else {
            // Compiled beside and moved into place: test classes in parallel forks may want it at once.
            Path building = Files.createTempDirectory(directory, locale + ".");
            Command localedef = Command.run(List.of("localedef", "-i", locale.substring(0, locale.indexOf('.')), "-f", "UTF-8",
                    building.resolve(locale).toString()), Map.of(), null, Duration.ofSeconds(90));
            if (!Files.isDirectory(building.resolve(locale))) {
                problem = "localedef could not compile " + locale + " (Debian: locales): " + (localedef.out() + localedef.err()).trim();
            } else {
                try {
                    Files.move(building.resolve(locale), compiled, StandardCopyOption.ATOMIC_MOVE);
                } catch (java.nio.file.FileSystemException notMoved) {
                    if (!Files.isDirectory(compiled)) {
                        throw notMoved;
                    }
                    // another fork's is there first: the same locale
                }
            }
        }
        if (problem != null) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(problem + "; under CI=true the tests in other languages must run");
            }
            Assumptions.abort(problem);
        }
        return compiled;
    }
}
