package dev.keepaliveagent.tune;

import dev.keepaliveagent.boot.Switchboard;
import dev.keepaliveagent.config.KeepaliveOption;
import dev.keepaliveagent.config.Settings;
import dev.keepaliveagent.diagnose.DeadPeerReport;
import dev.keepaliveagent.log.AgentLog;
import dev.keepaliveagent.observe.Telemetry;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a socket's keepalive options through the platform's seam ({@link SocketTuner.OptionSetter})
 * and reads back the ones an app set itself. A refusal by the platform is counted, and logged once
 * per cause, not per socket; a socket the app closed meanwhile is no refusal at all.
 */
final class OptionApplier {

    private final SocketTuner.OptionSetter options;
    private final Telemetry telemetry;
    /** The options this platform cannot set, each with why: said once at start-up, never tried. */
    private volatile Map<KeepaliveOption, String> unavailable = Collections.emptyMap();

    OptionApplier(SocketTuner.OptionSetter options, Telemetry telemetry) {
        this.options = options;
        this.telemetry = telemetry;
    }

    /** See {@link SocketTuner#checkAvailability}. */
    Map<KeepaliveOption, String> checkAvailability() {
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
    Map<KeepaliveOption, String> unavailable() {
        return unavailable;
    }

    /** Whether the platform can set {@code option}, as far as the agent knows before trying. */
    boolean isAvailable(KeepaliveOption option) {
        return !unavailable.containsKey(option);
    }

    /**
     * Null if {@code option} can be set on this platform, else why not: the agent says so once at start-up
     * and carries on without it. A Linux-only option is set through the JDK's generic native.
     */
    static String whyNotHere(KeepaliveOption option) {
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

    /** Sets every option of {@code settings} that is set and can be here, then SO_KEEPALIVE; false if one was refused. */
    boolean apply(FileDescriptor fd, Settings settings, String how, InetSocketAddress remote) {
        boolean complete = true;
        // The keepalive timer is armed once SO_KEEPALIVE goes on, so the values go first.
        for (KeepaliveOption option : KeepaliveOption.all()) {
            if (settings.isSet(option) && isAvailable(option)) {
                complete &= set(fd, option, settings.get(option), how, remote);
            }
        }
        return complete & switchKeepaliveOn(fd, how, remote);
    }

    /** An app that switched keepalive on itself chose its values: they count as its choices. */
    void recordKernelChoices(FileDescriptor fd, AppChoices choices) {
        try {
            if (options.get(fd, SocketOptionWriter.SOL_SOCKET, SocketOptionWriter.SO_KEEPALIVE) == 0) {
                return;
            }
            for (KeepaliveOption option : KeepaliveOption.all()) {
                if (JdkSocketOptions.of(option) != null && isAvailable(option)) { // one an app can set through the JDK
                    choices.record(option, options.get(fd, option.level(), option.linuxNumber()));
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!isClosing(fd)) { // closed meanwhile: there is nothing left to read, nor to configure
                Switchboard.suppressed("reading the keepalive values a connection had before the agent saw it", e);
            }
        }
    }

    /** False once the app has closed (or begun to close) the socket. */
    boolean isClosing(FileDescriptor fd) {
        return !fd.valid() || !options.isOpenIpSocket(fd);
    }

    static String describe(InetSocketAddress remote) {
        return remote == null ? "an unknown peer" : DeadPeerReport.address(remote);
    }

    private boolean set(FileDescriptor fd, KeepaliveOption option, int value, String how, InetSocketAddress remote) {
        try {
            options.set(fd, option, value);
            return true;
        } catch (IOException | RuntimeException | LinkageError e) {
            return refused(fd, option.javaName(), value, how, remote, e);
        }
    }

    private boolean switchKeepaliveOn(FileDescriptor fd, String how, InetSocketAddress remote) {
        try {
            options.switchKeepaliveOn(fd);
            return true;
        } catch (IOException | RuntimeException e) {
            return refused(fd, JdkSocketOptions.KEEPALIVE.name(), Boolean.TRUE, how, remote, e);
        }
    }

    private boolean refused(FileDescriptor fd, String option, Object value, String how, InetSocketAddress remote,
                            Throwable e) {
        if (isClosing(fd)) {
            return false; // the app closed the socket meanwhile: nothing left to configure
        }
        telemetry.notConfigured(how, remote, option, e);
        AgentLog.warnOnce("refused " + option + " " + e.getClass().getName() + " " + e.getMessage(),
                "the platform refused " + option + "=" + value + " on the connection with "
                + describe(remote) + ": " + e + "; connections keep the kernel's value for it");
        return false;
    }
}
