package dev.keepaliveagent.observe;

import dev.keepaliveagent.config.KeepaliveSettings;
import dev.keepaliveagent.diagnose.DeadPeerReport;
import java.net.InetSocketAddress;

/** The events {@link Telemetry} hands to the flight recorder ({@code JfrEvents}), where the JDK has one. */
interface RecorderEvents {

    void configured(String kind, InetSocketAddress remote, KeepaliveSettings applied);

    void notConfigured(String kind, InetSocketAddress remote, String option, Throwable why);

    void deadPeer(DeadPeerReport report);
}
