package dev.keepaliveagent.cli;

import dev.keepaliveagent.trust.ProcessUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Whose a process is, told by its {@code /proc/PID} directory (the kernel gives it the process's
 * effective uid): {@code doctor} and {@code attach} talk to another user's process only when the
 * operator says so, since that process answers with whatever its owner wants.
 */
final class ProcessOwner {

    static final String FLAG = "--other-user";

    private ProcessOwner() {
    }

    /** Null if {@code process} is this user's, else the line that refuses it, for {@code command}. */
    static String refusal(Path process, String command) {
        int self;
        int owner;
        try {
            self = ProcessUser.uid();
            owner = (Integer) Files.getAttribute(process, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | RuntimeException e) {
            return "process " + process.getFileName() + ": whose it is cannot be told (" + e + ")";
        }
        if (owner == self) {
            return null;
        }
        return "process " + process.getFileName() + " belongs to uid " + owner + ", not to this user (uid " + self
                + "): it would answer " + command + " with whatever its owner wants; run " + command + " as that user,"
                + " or give " + FLAG + " to go on (what it sends is then taken as text, escaped, and never deserialised)";
    }
}
