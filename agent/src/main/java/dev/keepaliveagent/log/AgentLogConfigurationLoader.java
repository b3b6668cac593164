package dev.keepaliveagent.log;

import dev.keepaliveagent.config.LogFormat;
import dev.keepaliveagent.config.LogLevel;
import dev.keepaliveagent.logline.LogFile;
import dev.keepaliveagent.logline.LogLine;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.tinylog.configuration.ConfigurationLoader;

/**
 * The only configuration source of the agent's tinylog (registered in META-INF/services in place
 * of tinylog's properties loader), so that it never reads {@code tinylog.properties} or the file
 * named by {@code -Dtinylog.configuration}, which belong to the app.
 */
public final class AgentLogConfigurationLoader implements ConfigurationLoader {

    private static volatile Map<String, String> properties = propertiesFor(LogLevel.INFO, LogFormat.TEXT, false);

    static void use(Map<String, String> configured) {
        properties = configured;
    }

    /** For standard error: the log file is written without tinylog ({@link LogFile}). */
    static Map<String, String> propertiesFor(LogLevel level, LogFormat format, boolean stamped) {
        Map<String, String> map = new HashMap<>();
        map.put("writer", "console");
        map.put("writer.level", level.keyword());
        // In JSON the message is the whole object already (AgentLog, JsonLine).
        map.put("writer.format", format == LogFormat.JSON ? "{message}"
                : (stamped ? "{date:" + LogLine.TIME_PATTERN + "} " : "") + "[keepalive-agent] {level}: {message}");
        map.put("writer.stream", "err");
        // The time stamp's digits are ASCII whatever the JVM's locale.
        map.put("locale", "en_US");
        // No thread of ours in the app, and nothing to flush at exit: lines are written at once.
        map.put("writingthread", "false");
        map.put("autoshutdown", "false");
        return map;
    }

    @Override
    public Properties load() {
        Properties loaded = new Properties();
        loaded.putAll(properties);
        return loaded;
    }
}
