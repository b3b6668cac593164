package dev.keepaliveagent.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The switchboard's state is defined inside java.base under another name: every reference to it follows. */
class BootstrapNamesTest {

    @Test
    void theStatesRuntimeNameIsSwappedWhereverItIsNamedAndNowhereElse() throws IOException {
        for (String name : List.of("dev.keepaliveagent.boot.Switchboard", "dev.keepaliveagent.boot.SwitchboardState",
                "dev.keepaliveagent.boot.SocketEvents", "dev.keepaliveagent.boot.ChannelEvents")) {
            byte[] original;
            try (InputStream in = BootstrapNamesTest.class.getResourceAsStream("/" + name.replace('.', '/') + ".class")) {
                original = in.readAllBytes();
            }
            byte[] swapped = JdkAccess.withRuntimeNames(original);
            String text = new String(swapped, StandardCharsets.ISO_8859_1);
            assertEquals(original.length, swapped.length, name);
            assertEquals(-1, text.indexOf("dev/keepaliveagent/boot/SwitchboardState"), name);
            boolean names = name.endsWith(".Switchboard") || name.endsWith(".SwitchboardState");
            assertEquals(names, text.contains("jdk/internal/vm/KeepaliveSwitchboardCore"), name);
            if (!names) {
                assertEquals(new String(original, StandardCharsets.ISO_8859_1), text, name + " is left as it was");
            }
        }
    }
}
