package dev.keepaliveagent.trust;

import java.io.IOException;

/**
 * A file or directory the agent will not use: someone else could change it, or it is not the kind
 * of file it should be (a FIFO for a config file); the message says why, naming the path.
 */
public final class UntrustedPathException extends IOException {

    private static final long serialVersionUID = 1L;

    public UntrustedPathException(String why) {
        super(why);
    }

    /** Why a file could not be used, for a line that says so: this exception's reason, else the failure itself. */
    public static String reason(Exception e) {
        return e instanceof UntrustedPathException ? e.getMessage() : e.toString();
    }
}
