package dev.keepaliveagent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keepaliveagent.config.KeepaliveOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every declared option, given a value that is not its default, reaches the kernel on a connection made
 * and on one accepted, and shows in the start-up line as given: an option added to {@link KeepaliveOption}
 * is tested here by being declared.
 */
class KeepaliveOptionsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void everyDeclaredOptionIsSetOnLiveSocketsAndShownInTheStartUpLine() throws Exception {
        List<String> arguments = new ArrayList<>();
        List<String> options = new ArrayList<>();
        for (KeepaliveOption option : KeepaliveOption.all()) {
            arguments.add(option.key() + "=" + option.text(valueFor(option)));
            options.add(option.level() + "/" + option.linuxNumber());
        }
        try (ForkedJvm child = ForkedJvm.start(String.join(",", arguments), TestJvm.openSunNioCh(), List.of(),
                OptionsScenario.class.getName(), options.toArray(new String[0]))) {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < options.size(); i++) {
                lines.add(child.awaitLine("OPTION ", TIMEOUT));
            }
            child.awaitLine("READY", TIMEOUT);
            String startUp = child.awaitStderr(" JDK methods hooked", TIMEOUT);
            for (KeepaliveOption option : KeepaliveOption.all()) {
                int value = valueFor(option);
                assertEquals("OPTION " + option.level() + "/" + option.linuxNumber() + " client=" + value + " accepted=" + value,
                        lines.get(option.index()), option.kernelName() + " as the kernel holds it on both ends");
                assertTrue(startUp.contains(" " + option.key() + "=" + option.text(value) + " (args)")
                        || startUp.contains(": " + option.key() + "=" + option.text(value) + " (args)"), startUp);
            }
            child.release();
            child.awaitSuccess(TIMEOUT);
        }
    }

    /** Within the range, not the default (defaults are larger, or auto, or off), and one the kernel keeps as given: small. */
    private static int valueFor(KeepaliveOption option) {
        return Math.min(option.max(), option.min() + 2);
    }
}
