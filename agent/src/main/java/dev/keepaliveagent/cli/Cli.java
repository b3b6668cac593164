package dev.keepaliveagent.cli;

import dev.keepaliveagent.config.AgentArguments;
import dev.keepaliveagent.config.AgentConfig;
import dev.keepaliveagent.config.InvalidArgumentException;
import dev.keepaliveagent.config.KeepaliveOption;
import dev.keepaliveagent.logline.TextEscape;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * {@code java -jar keepalive-agent.jar [command]}: usage, and {@code doctor}. Runs as an ordinary
 * program, never inside an app.
 */
public final class Cli {

    private Cli() {
    }

    /**
     * Returns the exit status. What the commands print may come from another process or from {@code /proc}
     * (command lines, a peer's published settings): every line goes through {@link TextEscape}.
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return runEscaped(args, new EscapingPrintStream(out), new EscapingPrintStream(err));
    }

    private static int runEscaped(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            usage(out);
            return 0;
        }
        switch (args[0]) {
            case "doctor":
                return doctor(Arrays.copyOfRange(args, 1, args.length), out, err);
            case "attach":
                return new Attach(out, err).run(Arrays.copyOfRange(args, 1, args.length));
            case "cache-warm":
                try {
                    return new CacheWarm(out, err).run(Arrays.copyOfRange(args, 1, args.length));
                } catch (java.io.IOException | InterruptedException e) {
                    err.println("keepalive-agent cache-warm: " + e);
                    return 1;
                }
            default:
                err.println("keepalive-agent: unknown command '" + args[0] + "'; commands: attach, doctor, cache-warm, --version, --help"
                        + " (java -jar keepalive-agent.jar --help)");
                return 2;
        }
    }

    private static int doctor(String[] args, PrintStream out, PrintStream err) {
        Long pid = null;
        String agentArguments = null;
        boolean otherUser = false;
        for (String arg : args) {
            if (arg.equals(ProcessOwner.FLAG) && !otherUser) {
                otherUser = true;
            } else if (pid == null && agentArguments == null && arg.chars().allMatch(Character::isDigit) && !arg.isEmpty()) {
                pid = Long.parseLong(arg);
            } else if (agentArguments == null && !arg.startsWith("-")) {
                agentArguments = arg;
            } else {
                err.println("keepalive-agent doctor: unexpected argument '" + arg + "'; usage: doctor [PID] [AGENT-ARGUMENTS]"
                        + " [" + ProcessOwner.FLAG + "]");
                return 2;
            }
        }
        AgentConfig config;
        try {
            config = AgentArguments.parse(agentArguments);
        } catch (InvalidArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
        return new Doctor(out, otherUser).report(config, agentArguments != null, pid) ? 0 : 1;
    }

    /** One escaped line a {@code println}: the commands print nothing else. */
    private static final class EscapingPrintStream extends PrintStream {
        EscapingPrintStream(PrintStream target) {
            super(target, true);
        }

        @Override
        public void println(String line) {
            super.println(TextEscape.of(line));
        }

        @Override
        public void println(Object line) {
            println(String.valueOf(line));
        }
    }

    static void usage(PrintStream out) {
        out.println("keepalive-agent: TCP keepalive for every connection of a JVM, without changing its code.");
        out.println();
        out.println("as an agent:");
        out.println("  java -javaagent:keepalive-agent.jar[=idle=600,intvl=60,cnt=20] -jar app.jar");
        out.println("  JAVA_TOOL_OPTIONS=-javaagent:/path/to/keepalive-agent.jar=idle=600,intvl=60,cnt=20");
        out.println();
        out.println("commands (java -jar keepalive-agent.jar COMMAND):");
        out.println("  attach PID [AGENT-ARGUMENTS]    load the agent into a running JVM of the same user: connections it");
        out.println("                                  opens or accepts from then on are configured");
        out.println("  doctor [PID] [AGENT-ARGUMENTS]  the kernel's keepalive settings and what they mean in time, the same");
        out.println("                                  for the given agent arguments, and with a PID that JVM's TCP");
        out.println("                                  connections and whether the kernel runs a keepalive timer on each");
        out.println("  --other-user                    with attach or doctor PID: go on with a process of another user");
        out.println("                                  (refused without it; nothing it sends is deserialised)");
        out.println("  cache-warm DIR                  prime a cache of woven JDK classes in DIR for this java, e.g. when an");
        out.println("                                  image is built; the app's JVM then starts warm with cache=DIR,");
        out.println("                                  also from a read-only file system");
        out.println("  --version                       the version, the build and the jar's SHA-256 (on any JDK, 8 too)");
        out.println("  --help                          this text");
        out.println();
        out.println("agent arguments (key=value, separated by commas):");
        for (KeepaliveOption option : KeepaliveOption.all()) {
            option.usage().forEach(out::println);
        }
        out.println("  rules=RULES     per destination, first match wins, ';' between rules, e.g.");
        out.println("                  127.0.0.0/8=>off;10.1.0.0/16+port=5432=>idle=30/intvl=5/cnt=3;listen=8443=>idle=120");
        out.println("  config=PATH     a file of key = value lines and rule = ... lines");
        out.println("  log=LEVEL       the agent's own log: off, error, warn, info (default), debug");
        out.println("  logfile=PATH    write the agent's log to PATH instead of standard error");
        out.println("  logformat=json  one JSON object per line instead of the plain line (text, the default)");
        out.println("  logtime=on|off  each text line starts with its time: on by default with logfile=, off on stderr");
        out.println("  cache=DIR|off   where woven JDK classes are kept between starts");
        out.println();
        out.println("each setting may also come from -Dkeepalive.KEY=VALUE or KEEPALIVE_KEY=VALUE (in that order after");
        out.println("the agent argument, before the config file)");
    }
}
