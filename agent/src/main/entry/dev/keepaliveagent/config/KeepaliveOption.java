package dev.keepaliveagent.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One socket option the agent sets, declared once: its key and value syntax, range and default, where
 * the kernel has it, what the JDK and Netty call it, and what an app's own value of it means. Arguments,
 * rules, the start-up line, the MBean, the CLI's usage, the tuners and the read-back all iterate these
 * declarations; a new option is one more of them.
 */
public final class KeepaliveOption {

    /** The socket levels, as Linux numbers them. */
    public static final int SOL_SOCKET = 1;
    public static final int IPPROTO_TCP = 6;

    private static final List<KeepaliveOption> DECLARED = new ArrayList<>();

    public static final KeepaliveOption IDLE = new Declaration("idle", ValueSyntax.SECONDS, 1, 32767, 120)
            .kernel(IPPROTO_TCP, 4, "TCP_KEEPIDLE")
            .jdk("jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE").netty("TCP_KEEPIDLE").smallerIsStricter()
            .usage("idle=DURATION", "idle time before the first probe, 1..32767 s (600, 90s, 10m, 2h); default 120s")
            .declare();

    public static final KeepaliveOption INTVL = new Declaration("intvl", ValueSyntax.SECONDS, 1, 32767, 30)
            .kernel(IPPROTO_TCP, 5, "TCP_KEEPINTVL")
            .jdk("jdk.net.ExtendedSocketOptions.TCP_KEEPINTERVAL").netty("TCP_KEEPINTVL").smallerIsStricter()
            .usage("intvl=DURATION", "time between probes, 1..32767 s; default 30s")
            .declare();

    public static final KeepaliveOption CNT = new Declaration("cnt", ValueSyntax.COUNT, 1, 127, 4)
            .kernel(IPPROTO_TCP, 6, "TCP_KEEPCNT").countOf("probes")
            .jdk("jdk.net.ExtendedSocketOptions.TCP_KEEPCOUNT").netty("TCP_KEEPCNT").smallerIsStricter()
            .usage("cnt=N", "unanswered probes before the connection is dropped, 1..127; default 4")
            .declare();

    /** With data in flight, the kernel gives up after this long without an acknowledgement. */
    public static final KeepaliveOption UTIMEOUT = new Declaration("utimeout", ValueSyntax.MILLISECONDS, 1000, Integer.MAX_VALUE,
            ValueSyntax.AUTO)
            .kernel(IPPROTO_TCP, 18, "TCP_USER_TIMEOUT").linuxOnly().mayBeOff()
            .auto("idle + intvl × cnt, within the kernel's own limit")
            .whereNotApplied("connections get keepalive alone, and data in flight is given up after the kernel's retransmissions")
            .netty("TCP_USER_TIMEOUT").smallerIsStricter()
            .usage("utimeout=TIME", "with data in flight, give up after TIME unacknowledged (TCP_USER_TIMEOUT):",
                    "auto (idle + intvl x cnt, the default; off where that exceeds the kernel's",
                    "own retransmission limit), off, or with a unit: 30s, 2m, 1500ms (at least 1s)")
            .declare();

    private static final List<KeepaliveOption> ALL = Collections.unmodifiableList(new ArrayList<>(DECLARED));

    private final int index;
    private final Declaration declared;

    private KeepaliveOption(int index, Declaration declared) {
        this.index = index;
        this.declared = declared;
    }

    /** Every option, in the order the start-up line, the MBean and the usage print them. */
    public static List<KeepaliveOption> all() {
        return ALL;
    }

    /** The option with this key, or null. */
    public static KeepaliveOption withKey(String key) {
        for (KeepaliveOption option : ALL) {
            if (option.key().equals(key)) {
                return option;
            }
        }
        return null;
    }

    /** Its position in {@link #all()}. */
    public int index() {
        return index;
    }

    /** As the agent's arguments, rules and the start-up line name it: {@code idle}. */
    public String key() {
        return declared.key;
    }

    /** As the kernel names it: {@code TCP_KEEPIDLE}. */
    public String kernelName() {
        return declared.kernelName;
    }

    /** Its level in {@code setsockopt}: {@link #SOL_SOCKET} or {@link #IPPROTO_TCP}. */
    public int level() {
        return declared.level;
    }

    /** Its number in {@code setsockopt} on Linux. */
    public int linuxNumber() {
        return declared.number;
    }

    /** Linux's alone: elsewhere it is not set (another system may give its number to another option). */
    public boolean linuxOnly() {
        return declared.linuxOnly;
    }

    /**
     * The JDK's public {@code SocketOption} for it as {@code class.FIELD} ({@code
     * jdk.net.ExtendedSocketOptions.TCP_KEEPIDLE}), through which an app sets it; null where the JDK has none.
     */
    public String jdkField() {
        return declared.jdkField;
    }

    /**
     * As the JDK names it ({@code TCP_KEEPINTERVAL}), or the kernel where the JDK has no name for it: as
     * refusals, the MBean's refused options and the JFR events name it, for JDK sockets and Netty's alike.
     */
    public String javaName() {
        return declared.jdkField == null ? declared.kernelName : declared.jdkField.substring(declared.jdkField.lastIndexOf('.') + 1);
    }

    /** The field of Netty's transport option class ({@code EpollChannelOption}) that names it; null where Netty has none. */
    public String nettyField() {
        return declared.nettyField;
    }

    /**
     * An app's own value stands where it is smaller than the agent's (the stricter), never where larger;
     * otherwise an app's own value stands whatever it is.
     */
    public boolean smallerIsStricter() {
        return declared.smallerIsStricter;
    }

    /** Whether {@code off} is accepted: the agent then leaves the kernel's value alone. */
    public boolean mayBeOff() {
        return declared.mayBeOff;
    }

    /** What {@code auto} means, where it is accepted; null where not. */
    public String autoMeaning() {
        return declared.autoMeaning;
    }

    /** What it means for connections where the platform cannot set it, as the start-up WARN says. */
    public String whereNotApplied() {
        return declared.whereNotApplied != null ? declared.whereNotApplied : "connections keep the kernel's own " + declared.kernelName;
    }

    /** The default: a value, {@code off} (0) or {@code auto} (-1). */
    int defaultValue() {
        return declared.defaultValue;
    }

    /** The smallest value accepted (not counting {@code off}). */
    public int min() {
        return declared.min;
    }

    /** The largest value accepted. */
    public int max() {
        return declared.max;
    }

    /** What a count counts ("probes"). */
    String countOf() {
        return declared.countOf;
    }

    /** Reads a value given for it, wherever it came from. */
    int read(Sourced sourced) throws InvalidArgumentException {
        return declared.syntax.read(this, sourced);
    }

    /** What a refusal says is accepted. */
    String expected() {
        return declared.syntax.expected(this);
    }

    /** As the start-up line and the MBean print a value: {@code 600s}, {@code 4}, {@code 500ms}, {@code off}. */
    public String text(int value) {
        return value == ValueSyntax.OFF && declared.mayBeOff ? "off" : declared.syntax.text(value);
    }

    /** The CLI's usage lines: {@code idle=DURATION} and its help, continued on further lines. */
    public List<String> usage() {
        List<String> lines = new ArrayList<>();
        for (int i = 1; i < declared.usage.length; i++) {
            lines.add(String.format("  %-16s%s", i == 1 ? declared.usage[0] : "", declared.usage[i]));
        }
        return lines;
    }

    @Override
    public String toString() {
        return declared.key;
    }

    /** One declaration, written as a table row is read; {@link #declare()} makes it an option. */
    private static final class Declaration {
        final String key;
        final ValueSyntax syntax;
        final int min;
        final int max;
        final int defaultValue;
        int level;
        int number;
        String kernelName;
        String jdkField;
        String nettyField;
        String countOf = "";
        String autoMeaning;
        String whereNotApplied;
        boolean smallerIsStricter;
        boolean linuxOnly;
        boolean mayBeOff;
        String[] usage;

        Declaration(String key, ValueSyntax syntax, int min, int max, int defaultValue) {
            this.key = key;
            this.syntax = syntax;
            this.min = min;
            this.max = max;
            this.defaultValue = defaultValue;
        }

        Declaration kernel(int level, int number, String name) {
            this.level = level;
            this.number = number;
            this.kernelName = name;
            return this;
        }

        Declaration jdk(String field) {
            this.jdkField = field;
            return this;
        }

        Declaration netty(String field) {
            this.nettyField = field;
            return this;
        }

        Declaration countOf(String things) {
            this.countOf = things;
            return this;
        }

        Declaration auto(String meaning) {
            this.autoMeaning = meaning;
            return this;
        }

        Declaration whereNotApplied(String consequence) {
            this.whereNotApplied = consequence;
            return this;
        }

        Declaration smallerIsStricter() {
            this.smallerIsStricter = true;
            return this;
        }

        Declaration linuxOnly() {
            this.linuxOnly = true;
            return this;
        }

        Declaration mayBeOff() {
            this.mayBeOff = true;
            return this;
        }

        Declaration usage(String form, String... help) {
            this.usage = new String[help.length + 1];
            this.usage[0] = form;
            System.arraycopy(help, 0, this.usage, 1, help.length);
            return this;
        }

        KeepaliveOption declare() {
            KeepaliveOption option = new KeepaliveOption(DECLARED.size(), this);
            DECLARED.add(option);
            return option;
        }
    }
}
