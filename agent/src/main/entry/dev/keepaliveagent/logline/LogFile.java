package dev.keepaliveagent.logline;

import dev.keepaliveagent.trust.RegularFiles;
import dev.keepaliveagent.trust.UntrustedPathException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;

/**
 * The file {@code logfile=} names, opened once for the JVM's life by {@link RegularFiles#openToAppend}:
 * never through a symbolic link, created readable by its owner alone, a regular file (a FIFO there
 * would block the JVM). A line that cannot be written (a full disk) ends its use: one line on standard
 * error says so, and the agent's lines go there from then on.
 *
 * <p>A file channel closes when a thread writing to it is interrupted, and the agent writes on the
 * app's threads: a thread's pending interrupt is set aside for the write and put back after it, and a
 * channel closed by an interrupt that came during a write is opened again.
 */
public final class LogFile {

    private final String path;
    private volatile FileChannel channel;

    private LogFile(String path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    public static LogFile open(String path) throws IOException {
        return new LogFile(path, RegularFiles.openToAppend(Paths.get(path)));
    }

    /** The message of the one line that says {@code path} could not be opened, and why. */
    public static String unusable(String path, Exception e) {
        return "cannot write the log file " + path + " (" + UntrustedPathException.reason(e)
                + "); logging to standard error instead";
    }

    public String path() {
        return path;
    }

    /** False if the text was not written (the caller writes it to standard error). */
    public boolean append(String text) {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        boolean interrupted = Thread.interrupted();
        try {
            for (int attempt = 0; attempt < 2; attempt++) {
                FileChannel current = channel;
                if (current == null) {
                    return false;
                }
                try {
                    while (bytes.hasRemaining()) {
                        current.write(bytes);
                    }
                    return true;
                } catch (ClosedChannelException e) {
                    reopen(current);
                    bytes.rewind();
                } catch (IOException | RuntimeException e) {
                    giveUp(current, e);
                    return false;
                }
            }
            return false;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public void close() {
        FileChannel current = channel;
        channel = null;
        closeQuietly(current);
    }

    private synchronized void reopen(FileChannel closed) {
        if (channel != closed) {
            return;
        }
        try {
            channel = RegularFiles.openToAppend(Paths.get(path));
        } catch (IOException | RuntimeException e) {
            giveUp(closed, e);
        }
    }

    private synchronized void giveUp(FileChannel failed, Exception e) {
        if (channel != failed) {
            return;
        }
        channel = null;
        closeQuietly(failed);
        System.err.println("[keepalive-agent] WARN: cannot write the log file " + path + " ("
                + UntrustedPathException.reason(e) + "); logging to standard error from now on");
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to write to it
            }
        }
    }
}
