package dev.keepaliveagent.lifecycle;

import dev.keepaliveagent.boot.Switchboard;
import dev.keepaliveagent.config.KeepaliveOption;
import dev.keepaliveagent.config.Settings;
import dev.keepaliveagent.diagnose.DeadPeerCause;
import dev.keepaliveagent.diagnose.DeadPeerReport;
import dev.keepaliveagent.diagnose.FailureClassifier;
import dev.keepaliveagent.diagnose.TcpState;
import dev.keepaliveagent.log.AgentLog;
import dev.keepaliveagent.observe.Telemetry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Set;

/**
 * The one life of every connection the agent configures, a JDK socket's or a Netty channel's, each
 * reached through its {@link Endpoint}: configured with its rule's settings, the app's stricter
 * choices standing; the app's later calls kept from making keepalive laxer or switching it off; the
 * first of each kind read back from the kernel; its peer's death reported once. The tuners adapt their
 * hooks' events onto it. A refusal by the platform is counted, and logged once per cause, not per
 * connection; a connection the app closed meanwhile is no refusal at all. None of its methods throws
 * what it meets on a connection.
 */
public final class Lifecycle {

    private final Telemetry telemetry;
    private final KernelReadBack readBack;

    public Lifecycle(Telemetry telemetry) {
        this.telemetry = telemetry;
        this.readBack = new KernelReadBack(telemetry);
    }

    /**
     * Configures {@code connection}, which the caller has claimed, with {@code limit} or the app's stricter
     * choices; true if every option was set. {@code readBackFirst}: the first connection of its kind is read
     * back from the kernel, where {@code endpoint} is sure to be that very connection still.
     */
    public boolean configure(Endpoint endpoint, Connection connection, InetSocketAddress remote, String how, Settings limit,
                             boolean readBackFirst) {
        Settings applied = connection.appChoices().within(limit);
        connection.configured(limit, applied, remote, how, System.nanoTime());
        boolean complete = apply(endpoint, applied, how, remote);
        if (complete) {
            telemetry.configured(how, remote, applied);
            if (readBackFirst && readBack.firstOf(how)) {
                readBack.check(how, remote, applied, endpoint);
            }
        }
        if (AgentLog.isDebugEnabled()) {
            AgentLog.debug(complete || endpoint.isOpen()
                    ? "configured the connection with " + DeadPeerReport.peer(remote) + " (" + how + "): " + applied
                    : "the app closed the connection with " + DeadPeerReport.peer(remote) + " (" + how + ") while the agent"
                            + " configured it: nothing left to configure");
        }
        return complete;
    }

    /** Sets every option of {@code settings} that is set and can be here, then SO_KEEPALIVE; false if one was refused. */
    public boolean apply(Endpoint endpoint, Settings settings, String how, InetSocketAddress remote) {
        boolean complete = true;
        // The keepalive timer is armed once SO_KEEPALIVE goes on, so the values go first.
        for (KeepaliveOption option : KeepaliveOption.all()) {
            if (settings.isSet(option) && endpoint.canSet(option)) {
                try {
                    endpoint.set(option, settings.get(option));
                } catch (Exception | LinkageError e) {
                    complete = refused(endpoint, option.javaName(), settings.get(option), how, remote, e);
                }
            }
        }
        try {
            endpoint.switchKeepaliveOn();
        } catch (Exception e) { // an agent's class that cannot load here is the agent's failure, counted as such
            complete = refused(endpoint, "SO_KEEPALIVE", Boolean.TRUE, how, remote, e);
        }
        return complete;
    }

    /** An app that switched keepalive on itself chose its values: they count as its choices. */
    public void recordKernelChoices(Endpoint endpoint, Connection connection) {
        try {
            if (!endpoint.keepaliveOn()) {
                return;
            }
            for (KeepaliveOption option : KeepaliveOption.all()) {
                if (endpoint.appCanSet(option) && endpoint.canSet(option)) {
                    connection.appChoices().record(option, endpoint.get(option));
                }
            }
        } catch (IOException | RuntimeException e) {
            if (endpoint.isOpen()) { // closed meanwhile: there is nothing left to read, nor to configure
                Switchboard.suppressed("reading the keepalive values a connection had before the agent saw it", e);
            }
        }
    }

    /**
     * What a configured {@code connection} keeps of the app's {@code value} for {@code option} (null:
     * SO_KEEPALIVE), which the app's call names {@code name}; said once per option and value when it is not all.
     */
    public Object enforce(Connection connection, KeepaliveOption option, String name, Object value) {
        Object enforced = connection.enforce(option, value);
        if (enforced != value) {
            AgentLog.infoOnce("override " + name + "=" + value,
                    "an app set " + name + "=" + value + " on the connection with " + DeadPeerReport.peer(connection.remote())
                    + "; kept " + name + "=" + enforced + ", since keepalive may be made stricter than " + connection.limit()
                    + " but not laxer or off");
        }
        return enforced;
    }

    /**
     * A read or write of {@code connection} failed with {@code failure}: where the failure and the kernel
     * say the peer died, it is reported, once per connection.
     */
    public void failed(Endpoint endpoint, Connection connection, Throwable failure) {
        if (connection == null || !connection.isConfigured() || connection.isDead()
                || FailureClassifier.raisedAboveTheKernel(failure)) {
            return; // not a connection the agent configured, one already reported, or nothing of the peer
        }
        TcpState kernel = endpoint.tcpState();
        DeadPeerCause cause = FailureClassifier.classify(failure, kernel, connection.applied().isSet(KeepaliveOption.UTIMEOUT));
        if (cause == null) {
            if (AgentLog.isDebugEnabled()) {
                AgentLog.debug("the connection with " + DeadPeerReport.peer(connection.remote()) + " failed (" + failure
                        + "; the kernel: " + kernel + "), which says nothing about the peer");
            }
            return;
        }
        if (connection.markDead()) {
            report(connection, endpoint.local(), cause, failure, false);
        }
    }

    /**
     * The kernel closed {@code connection} with probes or data unanswered, as seen from outside (a thread
     * blocked in it runs code the agent never wove): reported at once, once per connection.
     */
    public void diedUnseen(Connection connection, InetSocketAddress local, TcpState lastAlive, TcpState closed) {
        if (!connection.isConfigured() || !connection.markDead()) {
            return;
        }
        DeadPeerCause cause = FailureClassifier.classifyFromOutside(lastAlive, closed,
                connection.applied().isSet(KeepaliveOption.UTIMEOUT));
        // Directly: an app often exits right after the failure, and this may run in a shutdown hook.
        report(connection, local, cause, null, true);
    }

    /** The kinds whose first connection the kernel showed configured as set. */
    public Set<String> verifiedKinds() {
        return readBack.verifiedKinds();
    }

    /** {@code failure}: the app's exception, null where none was seen. */
    private void report(Connection connection, InetSocketAddress local, DeadPeerCause cause, Throwable failure, boolean now) {
        DeadPeerReport report = new DeadPeerReport(connection.remote(), local, connection.how(), cause, connection.ageNanos(),
                connection.applied(), failure);
        telemetry.deadPeer(report);
        if (now) {
            AgentLog.warnNow(report.line(), report.fields());
        } else {
            AgentLog.warn(report.line(), report.fields());
        }
    }

    private boolean refused(Endpoint endpoint, String option, Object value, String how, InetSocketAddress remote, Throwable e) {
        if (!endpoint.isOpen()) {
            return false; // the app closed it meanwhile: nothing left to configure
        }
        telemetry.notConfigured(how, remote, option, e);
        String setter = endpoint.setter();
        AgentLog.warnOnce((setter.equals(Endpoint.THE_PLATFORM) ? "" : setter + " ") + "refused " + option + " "
                        + e.getClass().getName() + " " + e.getMessage(),
                setter + " refused " + option + "=" + value + " on the connection with " + DeadPeerReport.peer(remote) + ": " + e
                + "; connections keep the kernel's value for it");
        return false;
    }
}
