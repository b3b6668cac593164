package dev.keepaliveagent.trust;

import java.io.IOException;

/** A file or directory the agent will not use because someone else could change it; the message says why. */
public final class UntrustedPathException extends IOException {

    private static final long serialVersionUID = 1L;

    public UntrustedPathException(String why) {
        super(why);
    }
}
