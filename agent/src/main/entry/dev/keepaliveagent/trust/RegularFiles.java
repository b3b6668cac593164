package dev.keepaliveagent.trust;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The files a user names to the agent (the config file, the log file), opened so that none of them
 * can hang the JVM or make the agent write where it should not: the kind is checked first (a FIFO, a
 * device or a directory is refused by name), and the open itself runs on a thread of its own with a
 * deadline, because a FIFO put in the file's place between the check and the open would block
 * {@code open(2)} until someone else opens the other end.
 */
public final class RegularFiles {

    /** Far longer than any open of a regular file takes, even on a slow network file system. */
    static final long OPEN_DEADLINE_MILLIS = 2000;

    private RegularFiles() {
    }

    /**
     * The whole content of {@code path}, which must be a regular file (reached through symbolic links:
     * a mounted Kubernetes ConfigMap is one) of at most {@code limit} bytes.
     */
    public static byte[] read(Path path, int limit) throws IOException {
        FileMode mode = FileMode.ofTarget(path);
        if (!mode.isRegularFile()) {
            throw new UntrustedPathException(path + " is " + mode.kind() + ", not a regular file");
        }
        if (mode.size > limit) {
            throw tooLarge(path, String.valueOf(mode.size), limit);
        }
        ByteBuffer content = ByteBuffer.allocate(limit + 1);
        try (FileChannel channel = openWithin(path, Collections.<OpenOption>singleton(StandardOpenOption.READ))) {
            while (content.hasRemaining() && channel.read(content) > 0) {
                // to the end, or one byte past the limit: then it grew since it was looked at
            }
        }
        if (content.position() > limit) {
            throw tooLarge(path, "more than " + limit, limit);
        }
        return Arrays.copyOf(content.array(), content.position());
    }

    /**
     * {@code path} opened to append to, never through a symbolic link, and created readable and
     * writable by this user alone if it is not there: a regular file, or an exception saying what it is.
     */
    public static FileChannel openToAppend(Path path) throws IOException {
        refuseAnythingButARegularFile(path);
        Set<OpenOption> options = new HashSet<OpenOption>(Arrays.asList(StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS));
        FileChannel channel = openWithin(path, options,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            refuseAnythingButARegularFile(path);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static void refuseAnythingButARegularFile(Path path) throws IOException {
        FileMode mode;
        try {
            mode = FileMode.of(path);
        } catch (NoSuchFileException e) {
            return;
        }
        if (mode.isSymbolicLink()) {
            throw new UntrustedPathException(path + " is a symbolic link, which the agent does not follow;"
                    + " name the file itself");
        }
        if (!mode.isRegularFile()) {
            throw new UntrustedPathException(path + " is " + mode.kind() + ", not a regular file");
        }
    }

    private static UntrustedPathException tooLarge(Path path, String size, int limit) {
        return new UntrustedPathException(path + " has " + size + " bytes, over the limit of " + limit);
    }

    /** For the test of the deadline: the open alone, without the check of the kind before it. */
    static FileChannel openWithinDeadline(Path path) throws IOException {
        return openWithin(path, Collections.<OpenOption>singleton(StandardOpenOption.READ));
    }

    private static FileChannel openWithin(Path path, Set<OpenOption> options, FileAttribute<?>... attributes)
            throws IOException {
        Opener opener = new Opener(path, options, attributes);
        Thread thread = new Thread(opener, "keepalive-agent-open");
        thread.setDaemon(true);
        thread.start();
        return opener.await();
    }

    /** One open(2), on a thread that may stay blocked in it without the caller waiting. */
    private static final class Opener implements Runnable {
        private final Path path;
        private final Set<OpenOption> options;
        private final FileAttribute<?>[] attributes;
        private final CountDownLatch done = new CountDownLatch(1);
        private FileChannel opened;
        private IOException failed;
        private boolean abandoned;

        Opener(Path path, Set<OpenOption> options, FileAttribute<?>[] attributes) {
            this.path = path;
            this.options = options;
            this.attributes = attributes;
        }

        @Override
        public void run() {
            FileChannel channel = null;
            IOException failure = null;
            try {
                channel = FileChannel.open(path, options, attributes);
            } catch (IOException e) {
                failure = e;
            } catch (RuntimeException e) {
                failure = new IOException(e.toString(), e);
            }
            synchronized (this) {
                if (abandoned) {
                    closeQuietly(channel);
                    return;
                }
                opened = channel;
                failed = failure;
                done.countDown();
            }
        }

        FileChannel await() throws IOException {
            try {
                done.await(OPEN_DEADLINE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (this) {
                if (done.getCount() > 0) {
                    abandoned = true;
                    throw new InterruptedIOException(path + " did not open within " + OPEN_DEADLINE_MILLIS
                            + " ms (a FIFO put in its place?)");
                }
                if (failed != null) {
                    throw failed;
                }
                return opened;
            }
        }

        private static void closeQuietly(FileChannel channel) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // opened too late to be used: nothing to keep
                }
            }
        }
    }
}
