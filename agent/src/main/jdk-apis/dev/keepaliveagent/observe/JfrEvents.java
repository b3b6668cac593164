package dev.keepaliveagent.observe;

import dev.keepaliveagent.boot.Switchboard;
import dev.keepaliveagent.config.Settings;
import dev.keepaliveagent.diagnose.DeadPeerReport;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.function.Consumer;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * The agent's JDK Flight Recorder events. The agent does not start the recorder, nor load its
 * classes for it: it listens, and registers its events once something in the JVM starts the
 * recorder ({@code -XX:StartFlightRecording}, {@code jcmd JFR.start}, Mission Control). Each event
 * is built only while a recording has it enabled: with none, emitting is one boolean read. On JDK 8
 * from 8u262 as on 11+; {@link Telemetry} reaches it by name, through {@link Watch}, where jdk.jfr exists.
 */
final class JfrEvents implements RecorderEvents {

    private final EventType configuredType = EventType.getEventType(SocketConfigured.class);
    private final EventType notConfiguredType = EventType.getEventType(SocketNotConfigured.class);
    private final EventType deadPeerType = EventType.getEventType(DeadPeer.class);

    /** Makes a {@code Telemetry} emit events as soon as the recorder is initialised (at once if it is). */
    static final class Watch implements Consumer<Telemetry> {
        @Override
        public void accept(Telemetry telemetry) {
            watchRecorder(telemetry);
        }
    }

    private static void watchRecorder(Telemetry telemetry) {
        FlightRecorder.addListener(new FlightRecorderListener() {
            @Override
            public void recorderInitialized(FlightRecorder recorder) {
                try {
                    FlightRecorder.register(DeadPeer.class);
                    FlightRecorder.register(SocketConfigured.class);
                    FlightRecorder.register(SocketNotConfigured.class);
                    AgentMBean about = telemetry.about();
                    if (about != null) {
                        FlightRecorder.addPeriodicEvent(AgentInfo.class, () -> {
                            try {
                                AgentInfo event = new AgentInfo();
                                event.version = about.getVersion();
                                event.info = about.getInfo();
                                event.commit();
                            } catch (RuntimeException | LinkageError e) { // on the recorder's thread: never thrown at it
                                Switchboard.suppressed("writing the keepalive.Agent JFR event", e);
                            }
                        });
                    }
                    telemetry.emitTo(new JfrEvents());
                } catch (RuntimeException | LinkageError e) {
                    Switchboard.suppressed("registering the agent's JFR events (recordings will not have them)", e);
                }
            }
        });
    }

    @Override
    public void configured(String kind, InetSocketAddress remote, Settings applied) {
        if (!configuredType.isEnabled()) {
            return;
        }
        SocketConfigured event = new SocketConfigured();
        event.kind = kind;
        event.remote = DeadPeerReport.address(remote);
        event.settings = applied.toString();
        event.commit();
    }

    @Override
    public void notConfigured(String kind, InetSocketAddress remote, String option, Throwable why) {
        if (!notConfiguredType.isEnabled()) {
            return;
        }
        SocketNotConfigured event = new SocketNotConfigured();
        event.kind = kind;
        event.remote = DeadPeerReport.address(remote);
        event.option = option;
        event.error = String.valueOf(why);
        event.commit();
    }

    /** The report's fields, which a JSON log line has under the same names. */
    @Override
    public void deadPeer(DeadPeerReport report) {
        if (!deadPeerType.isEnabled()) {
            return;
        }
        Map<String, Object> fields = report.fields();
        DeadPeer event = new DeadPeer();
        event.remote = (String) fields.get("remote");
        event.host = (String) fields.get("host");
        event.local = (String) fields.get("local");
        event.kind = (String) fields.get("kind");
        event.cause = (String) fields.get("cause");
        event.causeInWords = (String) fields.get("causeInWords");
        event.connectionAge = (Long) fields.get("connectionAge");
        event.settings = (String) fields.get("settings");
        event.kernelMessage = (String) fields.get("kernelMessage");
        event.commit();
    }

    @Name("keepalive.Agent")
    @Label("Keepalive Agent")
    @Description("Which keepalive-agent runs in this JVM and its settings in force, once per chunk of a recording")
    @Category("keepalive-agent")
    @Period("endChunk")
    @StackTrace(false)
    static final class AgentInfo extends Event {
        @Label("Version") String version;
        @Label("Info") @Description("As the MBean's Info: version=0.1.0 idle=600s intvl=60s cnt=20 utimeout=off rules=0 mesh=none")
        String info;
    }

    @Name("keepalive.DeadPeer")
    @Label("Dead Peer")
    @Category("keepalive-agent")
    @Description("A TCP connection's peer stopped answering or reset the connection; the app's read or write failed")
    @Enabled(true)
    static final class DeadPeer extends Event {
        @Label("Remote") String remote;
        @Label("Host") @Description("The name the app connected to, where it connected by name (no lookup); null otherwise")
        String host;
        @Label("Local") String local;
        @Label("Kind") @Description("How the connection was made: connect, accept, netty epoll connect...") String kind;
        @Label("Cause") String cause;
        @Label("Cause in Words") String causeInWords;
        @Label("Connection Age") @Timespan(Timespan.MILLISECONDS) long connectionAge;
        @Label("Keepalive Settings") String settings;
        @Label("Kernel Message") String kernelMessage;
    }

    @Name("keepalive.SocketConfigured")
    @Label("Socket Configured")
    @Category("keepalive-agent")
    @Description("The agent set keepalive on a TCP connection; off by default, as there is one per connection")
    @Enabled(false)
    @StackTrace(false)
    static final class SocketConfigured extends Event {
        @Label("Kind") String kind;
        @Label("Remote") String remote;
        @Label("Keepalive Settings") @Description("The options set, as idle=120s intvl=30s cnt=4 utimeout=240s") String settings;
    }

    @Name("keepalive.SocketNotConfigured")
    @Label("Socket Not Configured")
    @Category("keepalive-agent")
    @Description("The platform refused a keepalive option on a TCP connection")
    @Enabled(true)
    @StackTrace(false)
    static final class SocketNotConfigured extends Event {
        @Label("Kind") String kind;
        @Label("Remote") String remote;
        @Label("Option") String option;
        @Label("Error") String error;
    }
}
