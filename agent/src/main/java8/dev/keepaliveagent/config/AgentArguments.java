package dev.keepaliveagent.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one parser of the agent's settings, from every place they can come from, in this order of
 * precedence: the agent argument string ({@code idle=600,intvl=60,cnt=20}), system properties
 * ({@code -Dkeepalive.idle=600}), environment variables ({@code KEEPALIVE_IDLE=600}), the config
 * file ({@code config=PATH}), the defaults. Every refusal is a single line naming the key, the value,
 * where it came from and what is accepted, because the JVM shows it instead of starting the app.
 */
public final class AgentArguments {

    static final String IDLE = "idle";
    static final String INTVL = "intvl";
    static final String CNT = "cnt";
    static final String UTIMEOUT = "utimeout";
    static final String RULES = "rules";
    static final String LOG = "log";
    static final String LOGFILE = "logfile";
    static final String LOGFORMAT = "logformat";
    static final String LOGTIME = "logtime";
    static final String CACHE = "cache";
    static final String CONFIG = "config";

    static final String ARGS = "args";
    private static final List<String> KEYS = java.util.Collections.unmodifiableList(java.util.Arrays.asList(
            IDLE, INTVL, CNT, UTIMEOUT, RULES, LOG, LOGFILE, LOGFORMAT, LOGTIME, CACHE, CONFIG));
    private static final String ACCEPTED_KEYS = "idle, intvl, cnt, log, logfile, logformat, logtime, cache, utimeout, rules, config";
    private static final String DURATION_FORMS = "seconds as 600, or with a unit as 90s, 10m, 2h";
    private static final String PROPERTY_PREFIX = "keepalive.";
    private static final String ENV_PREFIX = "KEEPALIVE_";

    private AgentArguments() {
    }

    /** The agent argument string alone (no properties, environment or file). */
    public static AgentConfig parse(String arguments) throws InvalidArgumentException {
        return load(arguments, java.util.Collections.<String, String>emptyMap(), java.util.Collections.<String, String>emptyMap());
    }

    /** Every source of this JVM: the agent arguments, its {@code keepalive.*} system properties, its environment, the config file. */
    public static AgentConfig loadForThisJvm(String arguments) throws InvalidArgumentException {
        Map<String, String> properties = new java.util.HashMap<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("keepalive.")) {
                properties.put(name, System.getProperty(name));
            }
        }
        return load(arguments, properties, System.getenv());
    }

    /** Every source: the agent arguments, then {@code systemProperties}, {@code environment}, the config file. */
    public static AgentConfig load(String arguments, Map<String, String> systemProperties, Map<String, String> environment)
            throws InvalidArgumentException {
        return load(arguments, systemProperties, environment, RetransmissionLimit.ofThisHost());
    }

    /** As {@link #load(String, Map, Map)} on a kernel whose retransmission limit is {@code kernel}. */
    static AgentConfig load(String arguments, Map<String, String> systemProperties, Map<String, String> environment,
                            RetransmissionLimit kernel) throws InvalidArgumentException {
        Map<String, Sourced> values = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        splitArguments(arguments == null ? "" : arguments, values, warnings);
        addFromProperties(systemProperties, values, warnings);
        addFromEnvironment(environment, values, warnings);
        List<Sourced> fileRules = new ArrayList<>();
        if (values.containsKey(CONFIG)) {
            readConfigFile(values.get(CONFIG), values, fileRules);
        }
        return interpret(values, fileRules, warnings, kernel);
    }

    /**
     * The log format a refusal is written in: {@code logformat} as the agent arguments, the system
     * properties or the environment give it, in that order; never refused itself, as the refusal it is for
     * may be of that very value.
     */
    public static LogFormat logFormatForRefusal(String arguments, Map<String, String> systemProperties,
                                                Map<String, String> environment) {
        String chosen = null;
        for (String item : (arguments == null ? "" : arguments).split(",")) {
            int eq = item.indexOf('=');
            if (eq > 0 && item.substring(0, eq).trim().equals(LOGFORMAT)) {
                chosen = item.substring(eq + 1).trim();
                break;
            }
        }
        if (chosen == null) {
            chosen = systemProperties.get(PROPERTY_PREFIX + LOGFORMAT);
        }
        if (chosen == null) {
            chosen = environment.get(ENV_PREFIX + LOGFORMAT.toUpperCase(Locale.ROOT));
        }
        return chosen != null && chosen.trim().equalsIgnoreCase("json") ? LogFormat.JSON : LogFormat.TEXT;
    }

    /** A value and where it came from, as the start-up line and the refusals say it. */
    static final class Sourced {
        final String value;
        final String source;

        Sourced(String value, String source) {
            this.value = value;
            this.source = source;
        }

        /** Refusals for the agent arguments read as before; others say where the value came from. */
        String from() {
            return source.equals(ARGS) ? "" : " (from " + source + ")";
        }
    }

    private static void splitArguments(String arguments, Map<String, Sourced> values, List<String> warnings)
            throws InvalidArgumentException {
        String lastRule = null;
        for (String item : arguments.split(",", -1)) {
            String pair = item.trim();
            if (pair.isEmpty()) {
                continue; // a stray comma ("idle=600,") is harmless
            }
            int eq = pair.indexOf('=');
            if (eq < 0) {
                String jcmd = KEYS.contains(pair) ? " (loaded by jcmd JVMTI.agent_load? jcmd drops '=' and what follows it:"
                        + " load with java -jar keepalive-agent.jar attach PID " + printable(pair) + "=VALUE)" : "";
                throw new InvalidArgumentException("'" + printable(pair) + "' is not a key=value pair" + jcmd + ";"
                        + " write options as key=value separated by commas, e.g. idle=600,intvl=60,cnt=20"
                        + " (accepted keys: " + ACCEPTED_KEYS + ")");
            }
            String key = pair.substring(0, eq).trim();
            String value = pair.substring(eq + 1).trim();
            if (!KEYS.contains(key)) {
                throw new InvalidArgumentException("unknown option '" + printable(key) + "' in '"
                        + printable(pair) + "'; accepted keys: " + ACCEPTED_KEYS);
            }
            put(values, key, new Sourced(value, ARGS));
            if (key.equals(RULES)) {
                String[] rules = value.split(";");
                lastRule = rules.length == 0 ? null : rules[rules.length - 1].trim();
            } else if (lastRule != null && lastRule.contains("=>") && isSetting(key)
                    && !lastRule.substring(lastRule.indexOf("=>") + 2).trim().equalsIgnoreCase("off")) {
                warnings.add(printable(pair) + " follows rules= in the agent arguments, so it is a global setting, not the"
                        + " last rule's ('" + printable(lastRule) + "'): within a rule, settings are separated by '/' ("
                        + printable(lastRule) + "/" + printable(pair) + "); give global settings before rules= and this line"
                        + " goes away");
            }
        }
    }

    private static boolean isSetting(String key) {
        return key.equals(IDLE) || key.equals(INTVL) || key.equals(CNT) || key.equals(UTIMEOUT);
    }

    private static void put(Map<String, Sourced> values, String key, Sourced value)
            throws InvalidArgumentException {
        if (value.value.isEmpty()) {
            throw new InvalidArgumentException(key + "= has no value" + value.from() + "; " + expected(key));
        }
        Sourced earlier = values.putIfAbsent(key, value);
        if (earlier != null && earlier.source.equals(value.source)) {
            throw new InvalidArgumentException(key + " is given twice (" + key + "=" + printable(earlier.value)
                    + " and " + key + "=" + printable(value.value) + ")" + value.from() + "; give each option once");
        }
    }

    private static void addFromProperties(Map<String, String> properties, Map<String, Sourced> values, List<String> warnings)
            throws InvalidArgumentException {
        for (Map.Entry<String, String> property : new TreeMap<>(properties).entrySet()) {
            String name = property.getKey();
            if (!name.startsWith(PROPERTY_PREFIX)) {
                continue;
            }
            String key = name.substring(PROPERTY_PREFIX.length());
            if (!KEYS.contains(key)) {
                // Not refused: the name may belong to someone else; but a typo must not go unseen.
                warnings.add("ignored system property " + name + ": not a keepalive-agent setting (accepted: keepalive.idle, "
                        + "keepalive.intvl, keepalive.cnt, keepalive.utimeout, keepalive.rules, keepalive.log, keepalive.logfile, "
                        + "keepalive.logformat, keepalive.logtime, keepalive.cache, keepalive.config)");
                continue;
            }
            if (!values.containsKey(key)) {
                put(values, key, new Sourced(property.getValue().trim(), "-D" + name));
            }
        }
    }

    private static void addFromEnvironment(Map<String, String> environment, Map<String, Sourced> values, List<String> warnings)
            throws InvalidArgumentException {
        for (Map.Entry<String, String> variable : new TreeMap<>(environment).entrySet()) {
            String name = variable.getKey();
            if (!name.startsWith(ENV_PREFIX)) {
                continue;
            }
            String key = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT);
            if (!KEYS.contains(key) || !name.equals(ENV_PREFIX + key.toUpperCase(Locale.ROOT))) {
                warnings.add("ignored environment variable " + name + ": not a keepalive-agent setting (accepted: KEEPALIVE_IDLE, "
                        + "KEEPALIVE_INTVL, KEEPALIVE_CNT, KEEPALIVE_UTIMEOUT, KEEPALIVE_RULES, KEEPALIVE_LOG, KEEPALIVE_LOGFILE, "
                        + "KEEPALIVE_LOGFORMAT, KEEPALIVE_LOGTIME, KEEPALIVE_CACHE, KEEPALIVE_CONFIG)");
                continue;
            }
            if (!values.containsKey(key)) {
                put(values, key, new Sourced(variable.getValue().trim(), name));
            }
        }
    }

    /**
     * A config file: {@code key = value} lines, {@code #} comments, and any number of
     * {@code rule = …} lines, in order.
     */
    private static void readConfigFile(Sourced config, Map<String, Sourced> values, List<Sourced> rules)
            throws InvalidArgumentException {
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
                        + " accepted keys: " + ACCEPTED_KEYS + ", rule");
            }
            String key = line.substring(0, eq).trim();
            String value = line.substring(eq + 1).trim();
            if (key.equals("rule")) {
                rules.add(new Sourced(value, where));
                continue;
            }
            if (!KEYS.contains(key) || key.equals(CONFIG)) {
                throw new InvalidArgumentException("unknown option '" + printable(key) + "' (" + where + "); accepted keys: "
                        + "idle, intvl, cnt, log, logfile, logformat, logtime, cache, utimeout, rules, rule");
            }
            Sourced sourced = new Sourced(value, where);
            if (fromFile.containsKey(key)) {
                throw new InvalidArgumentException(key + " is given twice (" + where + " and "
                        + fromFile.get(key).source + "); give each option once");
            }
            if (value.isEmpty()) {
                throw new InvalidArgumentException(key + "= has no value (" + where + "); " + expected(key));
            }
            fromFile.put(key, sourced);
        }
        for (Map.Entry<String, Sourced> entry : fromFile.entrySet()) {
            values.putIfAbsent(entry.getKey(), entry.getValue());
        }
    }

    private static AgentConfig interpret(Map<String, Sourced> values, List<Sourced> fileRules, List<String> warnings,
                                         RetransmissionLimit kernel) throws InvalidArgumentException {
        KeepaliveSettings defaults = AgentConfig.DEFAULT_SETTINGS;
        int idle = values.containsKey(IDLE) ? seconds(IDLE, values.get(IDLE)) : defaults.idleSeconds();
        int intvl = values.containsKey(INTVL) ? seconds(INTVL, values.get(INTVL)) : defaults.intervalSeconds();
        int cnt = values.containsKey(CNT) ? count(CNT, values.get(CNT)) : defaults.probeCount();
        long utimeout = values.containsKey(UTIMEOUT) ? userTimeout(values.get(UTIMEOUT), warnings) : AUTO;
        KeepaliveSettings global = settings(idle, intvl, cnt, utimeout, kernel);
        LogLevel logLevel = values.containsKey(LOG) ? oneOf(LOG, values.get(LOG), LogLevel.values()) : LogLevel.INFO;
        String logFile = values.containsKey(LOGFILE) ? values.get(LOGFILE).value : null;
        LogFormat logFormat = values.containsKey(LOGFORMAT) ? oneOf(LOGFORMAT, values.get(LOGFORMAT), LogFormat.values())
                : LogFormat.TEXT;
        Boolean logTime = values.containsKey(LOGTIME) ? onOrOff(LOGTIME, values.get(LOGTIME)) : null;
        String cache = values.containsKey(CACHE) ? values.get(CACHE).value : null;

        List<Rule> rules = new ArrayList<>();
        if (values.containsKey(RULES)) {
            Sourced compact = values.get(RULES);
            for (String text : compact.value.split(";")) {
                if (!text.trim().isEmpty()) {
                    rules.add(RuleParser.rule(new Sourced(text.trim(), compact.source), global, utimeout, kernel, warnings));
                }
            }
        } else {
            for (Sourced text : fileRules) {
                rules.add(RuleParser.rule(text, global, utimeout, kernel, warnings));
            }
        }

        Map<String, String> sources = new LinkedHashMap<>();
        for (Map.Entry<String, Sourced> entry : values.entrySet()) {
            sources.put(entry.getKey(), entry.getValue().source);
        }
        if (!values.containsKey(RULES) && !fileRules.isEmpty()) {
            sources.put(RULES, fileRules.get(0).source.replaceAll(" line [0-9]+$", ""));
        }
        return new AgentConfig(global, new Rules(rules, global), utimeout == AUTO, kernel, logLevel, logFile, logFormat, logTime,
                cache, sources, warnings);
    }

    /**
     * utimeout=auto: derived from the keepalive settings, so that data in flight is given up as soon as an
     * idle peer would be; but never later than the kernel gives it up by itself: beyond its limit, off.
     */
    static final long AUTO = -1;

    static KeepaliveSettings settings(int idle, int intvl, int cnt, long utimeout, RetransmissionLimit kernel) {
        long millis = utimeout;
        if (utimeout == AUTO) {
            long derived = (idle + (long) intvl * cnt) * 1000;
            millis = derived <= kernel.millis() ? derived : 0;
        }
        return new KeepaliveSettings(idle, intvl, cnt, (int) Math.min(millis, KeepaliveSettings.MAX_USER_TIMEOUT_MILLIS));
    }

    private static String expected(String key) {
        switch (key) {
            case IDLE:
            case INTVL:
                return "expected " + DURATION_FORMS + ", 1.." + KeepaliveSettings.MAX_SECONDS + " seconds";
            case CNT:
                return "expected a whole number of probes 1.." + KeepaliveSettings.MAX_COUNT;
            case UTIMEOUT:
                return "expected a duration with its unit as 500ms, 30s, 2m, or auto (idle + intvl × cnt, within the kernel's"
                        + " own limit), or off";
            case LOG:
                return "expected one of off, error, warn, info, debug";
            case LOGFORMAT:
                return "expected text (one plain line each, the default) or json (one JSON object per line)";
            case LOGTIME:
                return "expected on (each text line starts with its time; the default with logfile=) or off (the default"
                        + " on standard error)";
            case CACHE:
                return "expected a directory path, or off";
            case RULES:
                return "expected rules as CONDITIONS => SETTINGS separated by ';'";
            case CONFIG:
                return "expected a config file path";
            default:
                return "expected a file path";
        }
    }

    static int seconds(String key, Sourced sourced) throws InvalidArgumentException {
        String value = sourced.value;
        String lower = value.toLowerCase(Locale.ROOT);
        long unit = 1;
        String digits = lower;
        char last = lower.isEmpty() ? ' ' : lower.charAt(lower.length() - 1);
        if (last == 's' || last == 'm' || last == 'h') {
            unit = last == 's' ? 1 : last == 'm' ? 60 : 3600;
            digits = lower.substring(0, lower.length() - 1);
        }
        long number = wholeNumber(digits);
        if (number < 0) {
            throw new InvalidArgumentException(key + "=" + printable(value) + " is not a duration" + sourced.from() + "; " + expected(key));
        }
        if (number * unit < 1 || number * unit > KeepaliveSettings.MAX_SECONDS) {
            throw new InvalidArgumentException(key + "=" + printable(value) + " is out of range" + sourced.from() + "; " + expected(key));
        }
        return (int) (number * unit);
    }

    static int count(String key, Sourced sourced) throws InvalidArgumentException {
        long number = wholeNumber(sourced.value);
        if (number < 0) {
            throw new InvalidArgumentException(key + "=" + printable(sourced.value) + " is not a number" + sourced.from() + "; " + expected(key));
        }
        if (number < 1 || number > KeepaliveSettings.MAX_COUNT) {
            throw new InvalidArgumentException(key + "=" + printable(sourced.value) + " is out of range" + sourced.from() + "; " + expected(key));
        }
        return (int) number;
    }

    /**
     * Milliseconds; 0 for off, {@link #AUTO} for auto. A bare number is still read as milliseconds, as it
     * always was, but with a warning: everywhere else a bare number means seconds.
     */
    static long userTimeout(Sourced sourced, List<String> warnings) throws InvalidArgumentException {
        String lower = sourced.value.toLowerCase(Locale.ROOT);
        if (lower.equals("off")) {
            return 0;
        }
        if (lower.equals("auto")) {
            return AUTO;
        }
        long unit = 1;
        String digits = lower;
        boolean bare = !lower.isEmpty() && Character.isDigit(lower.charAt(lower.length() - 1));
        if (lower.endsWith("ms")) {
            digits = lower.substring(0, lower.length() - 2);
        } else if (lower.endsWith("s") || lower.endsWith("m") || lower.endsWith("h")) {
            char last = lower.charAt(lower.length() - 1);
            unit = last == 's' ? 1000 : last == 'm' ? 60_000 : 3_600_000;
            digits = lower.substring(0, lower.length() - 1);
        }
        long number = wholeNumber(digits);
        if (number < 0) {
            throw new InvalidArgumentException(UTIMEOUT + "=" + printable(sourced.value) + " is not a duration" + sourced.from()
                    + "; " + expected(UTIMEOUT));
        }
        if (number * unit < 1 || number * unit > KeepaliveSettings.MAX_USER_TIMEOUT_MILLIS) {
            throw new InvalidArgumentException(UTIMEOUT + "=" + printable(sourced.value) + " is out of range" + sourced.from()
                    + "; " + expected(UTIMEOUT) + ", at most " + KeepaliveSettings.MAX_USER_TIMEOUT_MILLIS + " ms");
        }
        if (bare) {
            warnings.add(UTIMEOUT + "=" + printable(sourced.value) + sourced.from() + " is read as " + number
                    + " ms, as before, though idle and intvl read a bare number as seconds; write the unit ("
                    + UTIMEOUT + "=" + number + "ms, or " + UTIMEOUT + "=" + number + "s if seconds were meant):"
                    + " a later release will refuse a bare number");
        }
        return number * unit;
    }

    /** The value of a string of ASCII digits (huge ones capped, as they are out of range anyway); -1 if not digits. */
    static long wholeNumber(String digits) {
        if (digits.isEmpty()) {
            return -1;
        }
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        return digits.length() > 9 ? Integer.MAX_VALUE : Long.parseLong(digits);
    }

    private static boolean onOrOff(String key, Sourced sourced) throws InvalidArgumentException {
        String lower = sourced.value.toLowerCase(Locale.ROOT);
        if (lower.equals("on") || lower.equals("off")) {
            return lower.equals("on");
        }
        throw new InvalidArgumentException(key + "=" + printable(sourced.value) + " is not accepted" + sourced.from()
                + "; " + expected(key));
    }

    /** The constant whose lower-case name is the value, in any case: {@code log=WARN}, {@code logformat=json}. */
    private static <E extends Enum<E>> E oneOf(String key, Sourced sourced, E[] accepted) throws InvalidArgumentException {
        for (E value : accepted) {
            if (value.name().toLowerCase(Locale.ROOT).equals(sourced.value.toLowerCase(Locale.ROOT))) {
                return value;
            }
        }
        throw new InvalidArgumentException(key + "=" + printable(sourced.value) + " is not accepted" + sourced.from()
                + "; " + expected(key));
    }

    /** Keeps the refusal on one readable line whatever bytes the user passed. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && i < 60; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (text.length() > 60) {
            out.append("...");
        }
        return out.toString();
    }
}
