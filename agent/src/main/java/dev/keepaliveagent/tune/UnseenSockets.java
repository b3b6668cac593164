package dev.keepaliveagent.tune;

import dev.keepaliveagent.lifecycle.Connection;
import java.io.FileDescriptor;

/**
 * What a hook's rare paths (an option change, a failure, a close) ask about a descriptor the registry does
 * not know: whether it is a connection no hook saw being made, which the start-up window found or can
 * still adopt. Implemented by the rescue; none of it is asked on a read or write that succeeds.
 */
public interface UnseenSockets {

    /** The connection behind the app's {@code fd}, found by the start-up window or adopted now; null if none. */
    Connection adopt(FileDescriptor fd) throws Throwable;

    /** The app closes {@code fd}: whatever was found under its number goes, its death judged if watched. */
    void closing(FileDescriptor fd) throws Throwable;
}
