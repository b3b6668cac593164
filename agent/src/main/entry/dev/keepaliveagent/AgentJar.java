package dev.keepaliveagent;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Where the agent's own classes come from: its jar (a directory of classes in a development build). */
public final class AgentJar {

    private AgentJar() {
    }

    /** The jar's URL, as its class loader has it. */
    public static URL url() {
        return AgentJar.class.getProtectionDomain().getCodeSource().getLocation();
    }

    /** The jar's path; null if it cannot be told (a location that is not a file). */
    public static Path path() {
        try {
            return Paths.get(url().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}
