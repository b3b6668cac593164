package dev.keepaliveagent.config;

import static dev.keepaliveagent.config.AgentKeys.CACHE;
import static dev.keepaliveagent.config.AgentKeys.CONFIG;
import static dev.keepaliveagent.config.AgentKeys.LOG;
import static dev.keepaliveagent.config.AgentKeys.LOGFILE;
import static dev.keepaliveagent.config.AgentKeys.LOGFORMAT;
import static dev.keepaliveagent.config.AgentKeys.LOGTIME;
import static dev.keepaliveagent.config.AgentKeys.RULES;
import static dev.keepaliveagent.config.AgentKeys.expected;
import static dev.keepaliveagent.config.AgentKeys.onOrOff;
import static dev.keepaliveagent.config.AgentKeys.oneOf;
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
 * The one parser of the agent's settings, from every place they can come from, in this order of
 * precedence: the agent argument string ({@code idle=600,intvl=60,cnt=20}), system properties
 * ({@code -Dkeepalive.idle=600}), environment variables ({@code KEEPALIVE_IDLE=600}), the config
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
            ConfigFile.read(values.get(CONFIG), values, fileRules);
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
                warnings.add("ignored system property " + name + ": not a keepalive-agent setting (accepted: "
                        + acceptedWith(PROPERTY_PREFIX, false) + ")");
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
                warnings.add("ignored environment variable " + name + ": not a keepalive-agent setting (accepted: "
                        + acceptedWith(ENV_PREFIX, true) + ")");
                continue;
            }
            if (!values.containsKey(key)) {
                put(values, key, new Sourced(variable.getValue().trim(), name));
            }
        }
    }

    private static AgentConfig interpret(Map<String, Sourced> values, List<Sourced> fileRules, List<String> warnings,
                                         RetransmissionLimit kernel) throws InvalidArgumentException {
        Settings given = Settings.declaredDefaults();
        for (KeepaliveOption option : KeepaliveOption.all()) {
            if (values.containsKey(option.key())) {
                given = given.with(option, option.read(values.get(option.key()), warnings));
            }
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
