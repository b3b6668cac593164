package dev.keepaliveagent.tune;

import dev.keepaliveagent.boot.SocketEvents;
import dev.keepaliveagent.boot.Switchboard;
import dev.keepaliveagent.config.KeepaliveSettings;
import dev.keepaliveagent.diagnose.DeadPeerCause;
import dev.keepaliveagent.diagnose.DeadPeerReport;
import dev.keepaliveagent.diagnose.FailureClassifier;
import dev.keepaliveagent.log.AgentLog;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gives every TCP connection the JVM opens or accepts its keepalive settings, and keeps the app
 * from switching keepalive off or making it laxer afterwards. The switchboard calls it from the
 * JDK's hooks; none of its methods throws.
 */
public final class SocketTuner implements SocketEvents {

    private final KeepaliveSettings settings;
    private final OptionSetter options;
    private final SocketRegistry registry = new SocketRegistry();
    private final AtomicLong configured = new AtomicLong();
    private final AtomicLong deadPeers = new AtomicLong();

    /** Creates the tuner and lets the switchboard call it from now on. */
    public static SocketTuner startListening(KeepaliveSettings settings) {
        SocketTuner tuner = new SocketTuner(settings, new JdkOptionSetter());
        Switchboard.install(tuner);
        return tuner;
    }

    SocketTuner(KeepaliveSettings settings, OptionSetter options) {
        this.settings = settings;
        this.options = options;
    }

    /** Connections that got every keepalive option. */
    public long configuredConnections() {
        return configured.get();
    }

    @Override
    public void connected(FileDescriptor fd, InetAddress remote, int port) {
        configure(fd, new InetSocketAddress(remote, port), "connect");
    }

    @Override
    public void accepted(FileDescriptor fd, SocketAddress remote) {
        configure(fd, remote instanceof InetSocketAddress ? (InetSocketAddress) remote : null, "accept");
    }

    @Override
    public void socketImplAccepted(Object socketImpl) {
        try {
            SocketImplFields fields = JdkInternals.SOCKET_IMPL_FIELDS;
            configure(fields.fd(socketImpl), fields.remote(socketImpl), "accept");
        } catch (Throwable t) {
            internalError("reading an accepted socket", t);
        }
    }

    @Override
    public Object optionSet(FileDescriptor fd, SocketOption<?> option, Object value) {
        if (!KeepaliveOptions.isKeepaliveOption(option)) {
            return value;
        }
        try {
            ManagedSocket socket = registry.getOrCreate(fd);
            if (!socket.isConfigured()) {
                socket.appChoices().record(option, value);
                return value;
            }
            Object enforced = socket.enforce(option, value);
            if (enforced != value) {
                AgentLog.infoOnce("override " + option.name() + "=" + value,
                        "an app set " + option.name() + "=" + value + " on the connection with "
                        + describe(socket.remote()) + "; kept " + option.name() + "=" + enforced
                        + ", since keepalive may be made stricter than " + settings + " but not laxer or off");
            }
            return enforced;
        } catch (Throwable t) {
            internalError("checking an option the app set", t);
            return value;
        }
    }

    @Override
    public void ioFailed(FileDescriptor fd, Throwable failure) {
        try {
            ManagedSocket socket = registry.get(fd);
            if (socket == null || !socket.isConfigured()) {
                return; // not a connection the agent configured (a Unix-domain socket, say)
            }
            DeadPeerCause cause = FailureClassifier.classify(failure);
            if (cause == null) {
                if (AgentLog.isDebugEnabled()) {
                    AgentLog.debug("the connection with " + describe(socket.remote()) + " failed (" + failure
                            + "), which says nothing about the peer");
                }
                return;
            }
            if (socket.markDead()) {
                deadPeers.incrementAndGet();
                AgentLog.warn(DeadPeerReport.line(socket.remote(), localAddressOf(fd), socket.how(), cause,
                        System.nanoTime() - socket.configuredAtNanos(), socket.applied(), failure));
            }
        } catch (Throwable t) {
            internalError("diagnosing a failed connection", t);
        }
    }

    @Override
    public void closing(FileDescriptor fd) {
        try {
            registry.remove(fd);
        } catch (Throwable t) {
            internalError("forgetting a closed socket", t);
        }
    }

    public long deadPeers() {
        return deadPeers.get();
    }

    private static InetSocketAddress localAddressOf(FileDescriptor fd) {
        try {
            return JdkInternals.SOCKET_ADDRESSES.local(fd);
        } catch (Throwable t) {
            return null; // shown as "?"; the line matters more than this detail
        }
    }

    private void configure(FileDescriptor fd, InetSocketAddress remote, String how) {
        try {
            ManagedSocket socket = registry.getOrCreate(fd);
            KeepaliveSettings applied = socket.appChoices().within(settings);
            socket.configured(settings, applied, remote, how, System.nanoTime());
            // The timer is armed once SO_KEEPALIVE goes on, so the values go first.
            boolean complete = set(fd, KeepaliveOptions.IDLE, applied.idleSeconds(), remote)
                    & set(fd, KeepaliveOptions.INTERVAL, applied.intervalSeconds(), remote)
                    & set(fd, KeepaliveOptions.COUNT, applied.probeCount(), remote)
                    & set(fd, KeepaliveOptions.KEEPALIVE, Boolean.TRUE, remote);
            if (complete) {
                configured.incrementAndGet();
            }
            if (AgentLog.isDebugEnabled()) {
                AgentLog.debug("configured the connection with " + describe(remote) + " (" + how + "): " + applied);
            }
        } catch (Throwable t) {
            internalError("configuring a connection", t);
        }
    }

    /** Sets one option; a refusal by the platform is logged once per cause, not per socket. */
    private boolean set(FileDescriptor fd, SocketOption<?> option, Object value, InetSocketAddress remote) {
        try {
            options.set(fd, option, value);
            return true;
        } catch (IOException | RuntimeException e) {
            if (!fd.valid()) {
                return false; // the app closed the socket meanwhile: nothing left to configure
            }
            AgentLog.warnOnce("refused " + option.name() + " " + e.getClass().getName() + " " + e.getMessage(),
                    "the platform refused " + option.name() + "=" + value + " on the connection with "
                    + describe(remote) + ": " + e + "; connections keep the kernel's value for it");
            return false;
        }
    }

    private static void internalError(String doing, Throwable t) {
        AgentLog.warnOnce("internal " + t.getClass().getName(),
                "internal error while " + doing + ": " + t + "; the app is unaffected");
    }

    private static String describe(InetSocketAddress remote) {
        return remote == null ? "an unknown peer" : DeadPeerReport.address(remote);
    }

    /** Sets one socket option on a descriptor; the seam where tests make the platform refuse. */
    interface OptionSetter {
        void set(FileDescriptor fd, SocketOption<?> option, Object value) throws IOException;
    }

    private static final class JdkOptionSetter implements OptionSetter {
        @Override
        public void set(FileDescriptor fd, SocketOption<?> option, Object value) throws IOException {
            JdkInternals.OPTION_WRITER.set(fd, option, value);
        }
    }

    /**
     * Looked up when the first connection is configured, not at start-up: resolving them loads and
     * initialises {@code sun.nio.ch.Net}, which a JVM that never opens a socket does not need.
     */
    private static final class JdkInternals {
        static final SocketOptionWriter OPTION_WRITER = new SocketOptionWriter();
        static final SocketImplFields SOCKET_IMPL_FIELDS = new SocketImplFields();
        static final SocketAddresses SOCKET_ADDRESSES = new SocketAddresses();
    }
}
