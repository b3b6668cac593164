package dev.keepaliveagent.config;

import static dev.keepaliveagent.config.AgentKeys.CACHE;
import static dev.keepaliveagent.config.AgentKeys.CONFIG;
import static dev.keepaliveagent.config.AgentKeys.ENABLED;
import static dev.keepaliveagent.config.AgentKeys.LOG;
import static dev.keepaliveagent.config.AgentKeys.LOGFILE;
import static dev.keepaliveagent.config.AgentKeys.LOGFORMAT;
import static dev.keepaliveagent.config.AgentKeys.LOGTIME;
import static dev.keepaliveagent.config.AgentKeys.RULES;
import static dev.keepaliveagent.config.AgentKeys.expected;
import static dev.keepaliveagent.config.AgentKeys.onOrOff;
import static dev.keepaliveagent.config.AgentKeys.oneOf;
import static dev.keepaliveagent.config.AgentKeys.trueOrFalse;
import static dev.keepaliveagent.config.InputText.printable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one parser of the agent's settings, from every place they can come from, nearest the JVM first
 * ({@link Layers}): system properties ({@code -Dkeepalive.idle=600}), environment variables
 * ({@code KEEPALIVE_IDLE=600}), the agent argument string ({@code idle=600,intvl=60,cnt=20}), the config
 * file ({@code config=PATH}), the defaults. Every refusal is a single line naming the key, the value,
 * where it came from and what is accepted, because the JVM shows it instead of starting the app.
 */
public final class AgentArguments {

    private static final List<String> KEYS = AgentKeys.ALL;

    private static final String ACCEPTED_KEYS = String.join(", ", KEYS);
    private static final String PROPERTY_PREFIX = "keepalive.";
    private static final String ENV_PREFIX = "KEEPALIVE_";

    private AgentArguments() {
    }

    /** The agent argument string alone (no properties, environment or file). */
    public static AgentConfig parse(String arguments) throws InvalidArgumentException {
        return load(arguments, Collections.<String, String>emptyMap(), Collections.<String, String>emptyMap());
    }

    /** This JVM's {@code keepalive.*} system properties: the only ones any source reads. */
    public static Map<String, String> propertiesOfThisJvm() {
        Map<String, String> properties = new java.util.HashMap<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith(PROPERTY_PREFIX)) {
                properties.put(name, System.getProperty(name));
            }
        }
        return properties;
    }

    /** Every source: {@code systemProperties}, {@code environment}, the agent arguments, the config file. */
    public static AgentConfig load(String arguments, Map<String, String> systemProperties, Map<String, String> environment)
            throws InvalidArgumentException {
        return load(arguments, systemProperties, environment, RetransmissionLimit.ofThisHost());
    }

    /** As {@link #load(String, Map, Map)} on a kernel whose retransmission limit is {@code kernel}. */
    static AgentConfig load(String arguments, Map<String, String> systemProperties, Map<String, String> environment,
                            RetransmissionLimit kernel) throws InvalidArgumentException {
        List<String> warnings = new ArrayList<>();
        Layers layers = new Layers(warnings);
        layers.addBelow(fromProperties(systemProperties, warnings));
        layers.addBelow(fromEnvironment(environment, warnings));
        layers.addBelow(fromArguments(arguments == null ? "" : arguments, warnings));
        Map<String, Sourced> values = layers.values();
        List<Sourced> fileRules = new ArrayList<>();
        if (values.containsKey(CONFIG)) {
            layers.addBelow(ConfigFile.read(values.get(CONFIG), fileRules));
            if (values.containsKey(RULES) && !fileRules.isEmpty()) {
                warnings.add("the " + fileRules.size() + " rule(s) of config file " + values.get(CONFIG).value
                        + " are replaced by rules= from " + values.get(RULES).where() + ": rules are taken whole from one"
                        + " place, never merged (" + Layers.ORDER + ")");
            }
        }
        return interpret(values, fileRules, warnings, kernel);
    }

    /**
     * Where {@code enabled=false} switches the agent off for this JVM, or null where it runs. Read before
     * anything else, and from the places alone (a config file is not read): a broken setting elsewhere,
     * in the same agent arguments even, is never parsed, so a fleet's mistake can be switched off per JVM.
     */
    public static String switchedOffBy(String arguments, Map<String, String> systemProperties,
                                       Map<String, String> environment) throws InvalidArgumentException {
        Sourced enabled = nearest(ENABLED, arguments, systemProperties, environment);
        return enabled == null || trueOrFalse(ENABLED, enabled) ? null : enabled.where();
    }

    /**
     * The log format a refusal is written in: {@code logformat} from the nearest place that gives it
     * (not the config file); never refused itself, as the refusal it is for may be of that very value.
     */
    public static LogFormat logFormatForRefusal(String arguments, Map<String, String> systemProperties,
                                                Map<String, String> environment) {
        Sourced chosen = nearest(LOGFORMAT, arguments, systemProperties, environment);
        return chosen != null && chosen.value.equalsIgnoreCase("json") ? LogFormat.JSON : LogFormat.TEXT;
    }

    /** {@code key} as the nearest of the JVM's own places gives it, read leniently: nothing else is parsed. */
    private static Sourced nearest(String key, String arguments, Map<String, String> systemProperties,
                                   Map<String, String> environment) {
        String property = systemProperties.get(PROPERTY_PREFIX + key);
        if (property != null) {
            return new Sourced(property.trim(), "-D" + PROPERTY_PREFIX + key);
        }
        String variable = ENV_PREFIX + key.toUpperCase(Locale.ROOT);
        if (environment.get(variable) != null) {
            return new Sourced(environment.get(variable).trim(), variable);
        }
        for (String item : (arguments == null ? "" : arguments).split(",")) {
            int eq = item.indexOf('=');
            if (eq > 0 && item.substring(0, eq).trim().equals(key)) {
                return new Sourced(item.substring(eq + 1).trim(), Sourced.ARGS);
            }
        }
        return null;
    }

    private static Map<String, Sourced> fromArguments(String arguments, List<String> warnings)
            throws InvalidArgumentException {
        Map<String, Sourced> values = new LinkedHashMap<>();
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
            put(values, key, new Sourced(value, Sourced.ARGS));
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
        return values;
    }

    private static boolean isSetting(String key) {
        return KeepaliveOption.withKey(key) != null;
    }

    /** Each accepted key with {@code prefix}, e.g. keepalive.idle, keepalive.intvl, ... */
    private static String acceptedWith(String prefix, boolean upperCase) {
        StringBuilder text = new StringBuilder();
        for (String key : KEYS) {
            text.append(text.length() == 0 ? "" : ", ").append(prefix).append(upperCase ? key.toUpperCase(Locale.ROOT) : key);
        }
        return text.toString();
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

    private static Map<String, Sourced> fromProperties(Map<String, String> properties, List<String> warnings)
            throws InvalidArgumentException {
        Map<String, Sourced> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> property : new TreeMap<>(properties).entrySet()) {
            String name = property.getKey();
            if (!name.startsWith(PROPERTY_PREFIX)) {
                continue;
            }
            String key = name.substring(PROPERTY_PREFIX.length());
            if (!KEYS.contains(key)) {
                // Not refused: the name may belong to someone else; but a typo must not go unseen.
                warnings.add("ignored system property " + name + ": not a keepalive-agent setting (accepted: "
                        + acceptedWith(PROPERTY_PREFIX, false) + ")");
                continue;
            }
            put(values, key, new Sourced(property.getValue().trim(), "-D" + name));
        }
        return values;
    }

    private static Map<String, Sourced> fromEnvironment(Map<String, String> environment, List<String> warnings)
            throws InvalidArgumentException {
        Map<String, Sourced> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> variable : new TreeMap<>(environment).entrySet()) {
            String name = variable.getKey();
            if (!name.startsWith(ENV_PREFIX)) {
                continue;
            }
            String key = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT);
            if (!KEYS.contains(key) || !name.equals(ENV_PREFIX + key.toUpperCase(Locale.ROOT))) {
                warnings.add("ignored environment variable " + name + ": not a keepalive-agent setting (accepted: "
                        + acceptedWith(ENV_PREFIX, true) + ")");
                continue;
            }
            put(values, key, new Sourced(variable.getValue().trim(), name));
        }
        return values;
    }

    private static AgentConfig interpret(Map<String, Sourced> values, List<Sourced> fileRules, List<String> warnings,
                                         RetransmissionLimit kernel) throws InvalidArgumentException {
        Settings given = Settings.declaredDefaults();
        for (KeepaliveOption option : KeepaliveOption.all()) {
            if (values.containsKey(option.key())) {
                given = given.with(option, option.read(values.get(option.key())));
                kernel.warnIfLonger(option, given.get(option), values.get(option.key()), warnings);
            }
        }
        if (values.containsKey(ENABLED)) {
            trueOrFalse(ENABLED, values.get(ENABLED)); // refused here as anywhere; false is the entry's to act on
        }
        Settings global = given.withAutoWorkedOut(kernel);
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
                    rules.add(RuleParser.rule(new Sourced(text.trim(), compact.source), given, kernel, warnings));
                }
            }
        } else {
            for (Sourced text : fileRules) {
                rules.add(RuleParser.rule(text, given, kernel, warnings));
            }
        }

        Map<String, String> sources = new LinkedHashMap<>();
        for (Map.Entry<String, Sourced> entry : values.entrySet()) {
            sources.put(entry.getKey(), entry.getValue().source);
        }
        if (!values.containsKey(RULES) && !fileRules.isEmpty()) {
            sources.put(RULES, fileRules.get(0).source.replaceAll(" line [0-9]+$", ""));
        }
        Set<KeepaliveOption> automatic = new HashSet<>();
        for (KeepaliveOption option : KeepaliveOption.all()) {
            if (given.get(option) == ValueSyntax.AUTO) {
                automatic.add(option);
            }
        }
        return new AgentConfig(global, new Rules(rules, global), automatic, kernel, logLevel, logFile, logFormat, logTime,
                cache, sources, warnings);
    }
}
