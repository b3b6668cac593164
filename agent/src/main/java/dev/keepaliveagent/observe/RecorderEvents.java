package dev.keepaliveagent.observe;

import dev.keepaliveagent.config.Settings;
import dev.keepaliveagent.diagnose.DeadPeerReport;
import java.net.InetSocketAddress;

/** The events {@link Telemetry} hands to the flight recorder ({@code JfrEvents}), where the JDK has one. */
interface RecorderEvents {

    void configured(String kind, InetSocketAddress remote, Settings applied);

    void notConfigured(String kind, InetSocketAddress remote, String option, Throwable why);

    void deadPeer(DeadPeerReport report);
}
