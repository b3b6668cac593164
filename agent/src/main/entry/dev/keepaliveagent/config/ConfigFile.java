package dev.keepaliveagent.config;

import static dev.keepaliveagent.config.InputText.printable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A config file ({@code config=PATH}): {@code key = value} lines, {@code #} comments (a line's own, or
 * after a value), and any number of
 * {@code rule = …} lines, in order. Read through {@link ConfigFileText}, which trusts it only as sshd
 * trusts {@code authorized_keys}.
 */
final class ConfigFile {

    private ConfigFile() {
    }

    /** The file's settings, by key; its rules go to {@code rules}. */
    static Map<String, Sourced> read(Sourced config, List<Sourced> rules) throws InvalidArgumentException {
        List<String> lines = ConfigFileText.lines(config.value, "config=" + printable(config.value) + config.from());
        Map<String, Sourced> fromFile = new LinkedHashMap<>();
        for (int number = 1; number <= lines.size(); number++) {
            String line = lines.get(number - 1).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = "config file " + config.value + " line " + number;
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new InvalidArgumentException("'" + printable(line) + "' (" + where + ") is not a key = value line;"
                        + " accepted keys: " + keysOfAFile());
            }
            String key = line.substring(0, eq).trim();
            String value = withoutComment(line.substring(eq + 1));
            if (key.equals("rule")) {
                rules.add(new Sourced(value, where));
                continue;
            }
            if (key.equals(AgentKeys.ENABLED)) {
                throw new InvalidArgumentException("enabled (" + where + ") is not read from a config file, so that it"
                        + " switches the agent off even where the file cannot be read: give it where the JVM starts"
                        + " (-Dkeepalive.enabled=false, KEEPALIVE_ENABLED=false, or enabled=false in the agent arguments)");
            }
            if (!AgentKeys.ALL.contains(key) || key.equals(AgentKeys.CONFIG)) {
                throw new InvalidArgumentException("unknown option '" + printable(key) + "' (" + where + "); accepted keys: "
                        + keysOfAFile());
            }
            if (fromFile.containsKey(key)) {
                throw new InvalidArgumentException(key + " is given twice (" + where + " and "
                        + fromFile.get(key).source + "); give each option once");
            }
            if (value.isEmpty()) {
                throw new InvalidArgumentException(key + "= has no value (" + where + "); " + AgentKeys.expected(key));
            }
            fromFile.put(key, new Sourced(value, where));
        }
        return fromFile;
    }

    /** {@code 600   # ten minutes} is {@code 600}: a comment starts at a {@code #} after a space or tab. */
    private static String withoutComment(String value) {
        for (int i = 1; i < value.length(); i++) {
            if (value.charAt(i) == '#' && (value.charAt(i - 1) == ' ' || value.charAt(i - 1) == '\t')) {
                return value.substring(0, i).trim();
            }
        }
        return value.trim();
    }

    /** Every key but config (a file names no other file) and enabled, and rule. */
    private static String keysOfAFile() {
        StringBuilder keys = new StringBuilder();
        for (String key : AgentKeys.ALL) {
            if (!key.equals(AgentKeys.CONFIG) && !key.equals(AgentKeys.ENABLED)) {
                keys.append(key).append(", ");
            }
        }
        return keys.append("rule").toString();
    }
}
