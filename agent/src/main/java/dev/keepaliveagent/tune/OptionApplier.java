package dev.keepaliveagent.tune;

import dev.keepaliveagent.boot.Switchboard;
import dev.keepaliveagent.config.KeepaliveSettings;
import dev.keepaliveagent.diagnose.DeadPeerReport;
import dev.keepaliveagent.log.AgentLog;
import dev.keepaliveagent.observe.Telemetry;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketOption;

/**
 * Writes a socket's keepalive options through the platform's seam ({@link SocketTuner.OptionSetter})
 * and reads back the ones an app set itself. A refusal by the platform is counted, and logged once
 * per cause, not per socket; a socket the app closed meanwhile is no refusal at all.
 */
final class OptionApplier {

    private final SocketTuner.OptionSetter options;
    private final Telemetry telemetry;
    private volatile boolean userTimeoutAvailable = true;

    OptionApplier(SocketTuner.OptionSetter options, Telemetry telemetry) {
        this.options = options;
        this.telemetry = telemetry;
    }

    /** See {@link SocketTuner#checkUserTimeout}. */
    String checkUserTimeout() {
        String why = whyNoUserTimeout();
        userTimeoutAvailable = why == null;
        return why;
    }

    boolean userTimeoutAvailable() {
        return userTimeoutAvailable;
    }

    /**
     * Null if TCP_USER_TIMEOUT can be set on this platform, else why not: the agent says so once at
     * start-up and carries on with keepalive alone.
     */
    static String whyNoUserTimeout() {
        if (!Platform.CURRENT.takesLinuxNumbers()) {
            return "TCP_USER_TIMEOUT is a Linux socket option and this is " + System.getProperty("os.name");
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

    /** Sets every option of {@code settings}; false if one was refused. */
    boolean apply(FileDescriptor fd, KeepaliveSettings settings, String how, InetSocketAddress remote) {
        // The keepalive timer is armed once SO_KEEPALIVE goes on, so the values go first.
        return (settings.userTimeoutMillis() == 0 || !userTimeoutAvailable
                        || setUserTimeout(fd, settings.userTimeoutMillis(), how, remote))
                & set(fd, KeepaliveOptions.IDLE, settings.idleSeconds(), how, remote)
                & set(fd, KeepaliveOptions.INTERVAL, settings.intervalSeconds(), how, remote)
                & set(fd, KeepaliveOptions.COUNT, settings.probeCount(), how, remote)
                & set(fd, KeepaliveOptions.KEEPALIVE, Boolean.TRUE, how, remote);
    }

    /** An app that switched keepalive on itself chose its values: they count as its choices. */
    void recordKernelChoices(FileDescriptor fd, AppChoices choices) {
        try {
            if (options.get(fd, SocketOptionWriter.SOL_SOCKET, SocketOptionWriter.SO_KEEPALIVE) == 0) {
                return;
            }
            int tcp = SocketOptionWriter.IPPROTO_TCP;
            choices.record(KeepaliveOptions.IDLE, options.get(fd, tcp, SocketOptionWriter.TCP_KEEPIDLE));
            choices.record(KeepaliveOptions.INTERVAL, options.get(fd, tcp, SocketOptionWriter.TCP_KEEPINTVL));
            choices.record(KeepaliveOptions.COUNT, options.get(fd, tcp, SocketOptionWriter.TCP_KEEPCNT));
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

    private boolean set(FileDescriptor fd, SocketOption<?> option, Object value, String how, InetSocketAddress remote) {
        try {
            options.set(fd, option, value);
            return true;
        } catch (IOException | RuntimeException e) {
            return refused(fd, option.name(), value, how, remote, e);
        }
    }

    private boolean setUserTimeout(FileDescriptor fd, int millis, String how, InetSocketAddress remote) {
        try {
            options.setUserTimeout(fd, millis);
            return true;
        } catch (IOException | RuntimeException | LinkageError e) {
            return refused(fd, "TCP_USER_TIMEOUT", millis, how, remote, e);
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
