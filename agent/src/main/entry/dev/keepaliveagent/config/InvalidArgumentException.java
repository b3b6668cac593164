package dev.keepaliveagent.config;

/**
 * A bad agent argument. The message is the whole, single line shown to the user: it names the key,
 * the value and what is accepted.
 */
public final class InvalidArgumentException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String problem;

    InvalidArgumentException(String problem) {
        super("keepalive-agent: " + problem);
        this.problem = problem;
    }

    /** The line without its "keepalive-agent: ", for a log line that has its own prefix. */
    public String problem() {
        return problem;
    }
}
