package dev.keepaliveagent.log;

import dev.keepaliveagent.config.AgentConfig;
import dev.keepaliveagent.config.LogLevel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.tinylog.Logger;
import org.tinylog.configuration.Configuration;

/**
 * The agent's log: its own relocated tinylog, configured in code before the first line, so that an
 * app's {@code tinylog.properties} or {@code tinylog.*} system properties neither change it nor are
 * changed by it. Every line starts with {@code [keepalive-agent]}.
 */
public final class AgentLog {

    private static final Set<String> loggedCauses = ConcurrentHashMap.newKeySet();
    private static final Map<String, AtomicLong> repeats = new ConcurrentHashMap<>();

    private AgentLog() {
    }

    public static void configure(AgentConfig config) {
        String logFile = config.logFile().orElse(null);
        String unwritable = logFile == null ? null : whyUnwritable(logFile);
        if (unwritable != null) {
            logFile = null;
        }
        Map<String, String> properties = AgentLogConfigurationLoader.propertiesFor(config.logLevel(), logFile);
        AgentLogConfigurationLoader.use(properties);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // tinylog finds its parts with ServiceLoader through the context class loader; during
        // premain that is the app's loader, which must neither be searched nor asked for our classes.
        thread.setContextClassLoader(AgentLog.class.getClassLoader());
        try {
            // Drops whatever tinylog.* system properties the app set for its own tinylog.
            Configuration.replace(properties);
            Logger.isTraceEnabled(); // initialises the logging provider now, under our class loader
        } finally {
            thread.setContextClassLoader(previous);
        }
        if (unwritable != null) {
            warn("cannot write the log file " + config.logFile().get() + " (" + unwritable
                    + "); logging to standard error instead");
        }
    }

    /** Null if {@code file} can be appended to (it is created if missing), else why not. */
    private static String whyUnwritable(String file) {
        try {
            Files.newOutputStream(Paths.get(file), StandardOpenOption.CREATE, StandardOpenOption.APPEND).close();
            return null;
        } catch (IOException | RuntimeException e) {
            return e.toString();
        }
    }

    public static boolean isDebugEnabled() {
        return Logger.isDebugEnabled();
    }

    public static void debug(String message) {
        Logger.debug("{}", message);
    }

    public static void info(String message) {
        Logger.info("{}", message);
    }

    public static void warn(String message) {
        Logger.warn("{}", message);
    }

    public static void error(String message) {
        Logger.error("{}", message);
    }

    /**
     * Logs {@code message} at WARN the first time {@code cause} happens and only counts it after,
     * so that a refusal repeated on every socket makes one line, not thousands.
     */
    public static void warnOnce(String cause, String message) {
        if (loggedCauses.add(cause)) {
            Logger.warn("{} (logged once; later occurrences are counted)", message);
        } else {
            repeats.computeIfAbsent(cause, c -> new AtomicLong()).incrementAndGet();
        }
    }

    /** As {@link #warnOnce} at INFO. */
    public static void infoOnce(String cause, String message) {
        if (loggedCauses.add(cause)) {
            Logger.info("{} (logged once; later occurrences are counted)", message);
        } else {
            repeats.computeIfAbsent(cause, c -> new AtomicLong()).incrementAndGet();
        }
    }

    /** How often {@code cause} happened again after it was logged. */
    public static long repeatsOf(String cause) {
        AtomicLong count = repeats.get(cause);
        return count == null ? 0 : count.get();
    }

    static String tinylogLevel(LogLevel level) {
        return level.keyword();
    }
}
