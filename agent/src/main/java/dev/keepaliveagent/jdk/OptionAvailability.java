package dev.keepaliveagent.jdk;

import dev.keepaliveagent.config.KeepaliveOption;
import java.io.FileDescriptor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Which keepalive options this platform can set on a JDK socket, as checked once at start-up. */
public final class OptionAvailability {

    /** The options this platform cannot set, each with why: said once at start-up, never tried. */
    private volatile Map<KeepaliveOption, String> unavailable = Collections.emptyMap();

    /** See {@link SocketTuner#unavailableOptions}. */
    public Map<KeepaliveOption, String> checkAvailability() {
        Map<KeepaliveOption, String> unavailable = new LinkedHashMap<>();
        for (KeepaliveOption option : KeepaliveOption.all()) {
            String why = whyNotHere(option);
            if (why != null) {
                unavailable.put(option, why);
            }
        }
        this.unavailable = Collections.unmodifiableMap(unavailable);
        return this.unavailable;
    }

    /** What {@link #checkAvailability} found. */
    public Map<KeepaliveOption, String> unavailable() {
        return unavailable;
    }

    /** Whether the platform can set {@code option}, as far as the agent knows before trying. */
    public boolean isAvailable(KeepaliveOption option) {
        return !unavailable.containsKey(option);
    }

    /**
     * Null if {@code option} can be set on this platform, else why not: the agent says so once at start-up
     * and carries on without it. A Linux-only option is set through the JDK's generic native.
     */
    public static String whyNotHere(KeepaliveOption option) {
        if (!option.linuxOnly()) {
            return null; // through the JDK's own option elsewhere; a refusal is said at the first connection
        }
        if (!Platform.CURRENT.takesLinuxNumbers()) {
            return option.kernelName() + " is a Linux socket option and this is " + System.getProperty("os.name");
        }
        try {
            // Looked up by reflection, not resolved: that happens at the first connection.
            Class.forName("sun.nio.ch.Net", false, null).getDeclaredMethod("setIntOption0", FileDescriptor.class,
                    boolean.class, int.class, int.class, int.class, boolean.class);
            return null;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return "this JDK has no sun.nio.ch.Net.setIntOption0 (" + e + ")";
        }
    }
}
