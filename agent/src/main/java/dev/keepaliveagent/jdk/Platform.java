package dev.keepaliveagent.jdk;

import java.util.Locale;

/**
 * The operating system, as the JDK names it ({@code os.name}), and how the agent reaches the keepalive
 * options there. Linux's option numbers (TCP_KEEPIDLE 4, TCP_KEEPINTVL 5, TCP_KEEPCNT 6, TCP_USER_TIMEOUT
 * 18) mean other options elsewhere: 4 is TCP_NOPUSH on macOS, 4, 5 and 6 are TCP_MAXSEG, TCP_MAXRT and
 * TCP_STDURG on Windows. So they are passed to the kernel on Linux only; on every other system the agent
 * sets what the JDK's own {@code jdk.net} options set there, and nothing the JDK does not offer.
 */
public enum Platform {
    LINUX("Linux"),
    MACOS("macOS"),
    WINDOWS("Windows"),
    OTHER("another system");

    static final Platform CURRENT = of(System.getProperty("os.name", ""));

    private final String name;

    Platform(String name) {
        this.name = name;
    }

    static Platform of(String osName) {
        String lower = osName.toLowerCase(Locale.ROOT);
        if (lower.startsWith("linux")) {
            return LINUX;
        }
        if (lower.startsWith("mac") || lower.startsWith("darwin")) {
            return MACOS;
        }
        if (lower.startsWith("windows")) {
            return WINDOWS;
        }
        return OTHER;
    }

    /** Whether Linux's numbers may go to the kernel: TCP_KEEP*, TCP_USER_TIMEOUT, SO_DOMAIN and TCP_INFO. */
    boolean takesLinuxNumbers() {
        return this == LINUX;
    }

    @Override
    public String toString() {
        return name;
    }
}
