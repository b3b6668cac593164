package dev.keepaliveagent.log;

import dev.keepaliveagent.config.AgentConfig;
import dev.keepaliveagent.config.LogFormat;
import dev.keepaliveagent.config.LogLevel;
import dev.keepaliveagent.logline.JsonLine;
import dev.keepaliveagent.logline.LogFile;
import dev.keepaliveagent.logline.LogLine;
import dev.keepaliveagent.logline.TextEscape;
import java.io.IOException;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.tinylog.Logger;
import org.tinylog.configuration.Configuration;

/**
 * The agent's log: its own relocated tinylog, configured in code before its first line, so that an
 * app's {@code tinylog.properties} or {@code tinylog.*} system properties neither change it nor are
 * changed by it. Every line starts with {@code [keepalive-agent]}, or, with {@code logformat=json}, is
 * one JSON object ({@link JsonLine}).
 *
 * <p>tinylog is initialised at the first line written after start-up, not during it: its
 * initialisation costs about 50 ms (it reads the JVM's start time through JMX), more than the rest of
 * the agent's start-up together. The few lines of start-up itself are written directly, in the same
 * format, to the same place.
 */
public final class AgentLog {

    private static final Set<String> loggedCauses = ConcurrentHashMap.newKeySet();
    private static final Map<String, AtomicLong> repeats = new ConcurrentHashMap<>();

    private static volatile LogLevel level = LogLevel.INFO;
    /** Written directly, never through tinylog, whose file writer would open the path again. */
    private static volatile LogFile logFile;
    private static volatile LogFormat format = LogFormat.TEXT;
    private static volatile boolean stamped;
    private static volatile boolean startingUp = true;
    private static volatile boolean tinylogReady;
    /** A lock, not a monitor: a virtual thread that waits here unmounts rather than pinning its carrier (JDK 21). */
    private static final java.util.concurrent.locks.ReentrantLock tinylogInit = new java.util.concurrent.locks.ReentrantLock();

    private AgentLog() {
    }

    /**
     * Takes the level and the log file, opened here once ({@link LogFile}); a log file that cannot be
     * used is replaced by standard error, with a WARN.
     */
    public static void configure(AgentConfig config) {
        String file = config.logFile().orElse(null);
        LogFile opened = null;
        String unusable = null;
        if (file != null) {
            try {
                opened = LogFile.open(file);
            } catch (IOException | RuntimeException e) {
                unusable = LogFile.unusable(file, e);
            }
        }
        level = config.logLevel();
        format = config.logFormat();
        LogFile previous = logFile;
        logFile = opened;
        if (previous != null) {
            previous.close();
        }
        stamped = config.logTimestamps(opened != null);
        if (unusable != null) {
            warn(unusable);
        }
    }

    /** From now on lines go through tinylog, initialised at the first of them. */
    public static void startUpDone() {
        startingUp = false;
    }

    /**
     * On a thread of the agent's own: tinylog finds its parts with ServiceLoader through the context
     * class loader, which must be the agent's, and the thread that writes the first line may be an
     * app's (whose loader must neither be searched nor asked for our classes) or a JDK thread whose
     * context class loader cannot be changed at all (the asynchronous channels' InnocuousThreads).
     * The caller waits on a latch, not in {@code Thread.join}, which holds a monitor on JDK 21 and would
     * pin a virtual thread's carrier.
     */
    private static void initialiseTinylog() {
        tinylogInit.lock();
        try {
            if (tinylogReady) {
                return;
            }
            TinylogInitialiser initialiser = new TinylogInitialiser();
            Thread thread = new Thread(initialiser, "keepalive-agent-log-init");
            thread.setContextClassLoader(AgentLog.class.getClassLoader());
            thread.setDaemon(true);
            thread.start();
            boolean interrupted = false;
            while (true) {
                try {
                    initialiser.done.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            tinylogReady = true;
        } finally {
            tinylogInit.unlock();
        }
    }

    private static final class TinylogInitialiser implements Runnable {
        final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);

        @Override
        public void run() {
            try {
                Map<String, String> properties = AgentLogConfigurationLoader.propertiesFor(level, format, stamped);
                AgentLogConfigurationLoader.use(properties);
                // Drops whatever tinylog.* system properties the app set for its own tinylog.
                Configuration.replace(properties);
                Logger.isTraceEnabled(); // initialises the logging provider now, under our class loader
            } finally {
                done.countDown();
            }
        }
    }

    public static boolean isDebugEnabled() {
        return level == LogLevel.DEBUG;
    }

    public static void debug(String message) {
        write(LogLevel.DEBUG, message, Collections.<String, Object>emptyMap());
    }

    public static void info(String message) {
        write(LogLevel.INFO, message, Collections.<String, Object>emptyMap());
    }

    public static void warn(String message) {
        write(LogLevel.WARN, message, Collections.<String, Object>emptyMap());
    }

    /** A WARN line with fields of its own, which {@code logformat=json} writes beside the message. */
    public static void warn(String message, Map<String, ?> fields) {
        write(LogLevel.WARN, message, fields);
    }

    public static void error(String message) {
        write(LogLevel.ERROR, message, Collections.<String, Object>emptyMap());
    }

    /**
     * Writes at WARN directly, in the same format, without going through tinylog: for a line that
     * may have to be written while the JVM shuts down, when tinylog's initialisation may no longer
     * finish.
     */
    public static void warnNow(String message, Map<String, ?> fields) {
        if (LogLevel.WARN.ordinal() <= level.ordinal() && level != LogLevel.OFF) {
            writeDirectly(LogLevel.WARN, message, fields);
        }
    }

    private static void write(LogLevel at, String message, Map<String, ?> fields) {
        if (at.ordinal() > level.ordinal() || level == LogLevel.OFF) {
            return;
        }
        if (startingUp || logFile != null) {
            writeDirectly(at, message, fields);
            return;
        }
        if (!tinylogReady) {
            initialiseTinylog();
        }
        // In JSON the whole object is tinylog's message (its format is then "{message}").
        String text = format == LogFormat.JSON ? json(at, message, fields) : TextEscape.of(message);
        switch (at) {
            case ERROR: Logger.error("{}", text); break;
            case WARN: Logger.warn("{}", text); break;
            case INFO: Logger.info("{}", text); break;
            default: Logger.debug("{}", text); break;
        }
    }

    /** The format of tinylog's writer ({@link AgentLogConfigurationLoader}), without tinylog. */
    private static void writeDirectly(LogLevel at, String message, Map<String, ?> fields) {
        LogLine.write(LogLine.of(format, at, message, fields, stamped), logFile);
    }

    private static String json(LogLevel at, String message, Map<String, ?> fields) {
        return JsonLine.of(java.time.Instant.now().toString(), at.name(), message, fields);
    }

    /**
     * Logs {@code message} at WARN the first time {@code cause} happens and only counts it after,
     * so that a refusal repeated on every socket makes one line, not thousands.
     */
    public static void warnOnce(String cause, String message) {
        if (loggedCauses.add(cause)) {
            warn(message + " (logged once; later occurrences are counted)");
        } else {
            repeats.computeIfAbsent(cause, c -> new AtomicLong()).incrementAndGet();
        }
    }

    /** As {@link #warnOnce} at INFO. */
    public static void infoOnce(String cause, String message) {
        if (loggedCauses.add(cause)) {
            info(message + " (logged once; later occurrences are counted)");
        } else {
            repeats.computeIfAbsent(cause, c -> new AtomicLong()).incrementAndGet();
        }
    }

    /** How often {@code cause} happened again after it was logged. */
    public static long repeatsOf(String cause) {
        AtomicLong count = repeats.get(cause);
        return count == null ? 0 : count.get();
    }
}
