package dev.keepaliveagent.trust;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A directory that nobody but this user and root can change, opened once and kept open: its files
 * are read and written relative to that open directory, never by resolving its path again, so that
 * a path swapped after the check (a symlink, a renamed directory) changes nothing.
 *
 * <p>Each file is checked before it is read: a regular file of this user's or root's that no one else
 * may write, within a size limit; and after: still the same file, of the same size.
 */
public final class TrustedDirectory implements Closeable {

    private final Path path;
    private final SecureDirectoryStream<Path> directory;
    private final int self;

    private TrustedDirectory(Path path, SecureDirectoryStream<Path> directory, int self) {
        this.path = path;
        this.directory = directory;
        this.self = self;
    }

    /** Opens {@code directory}, or throws {@link UntrustedPathException} saying why it cannot be trusted. */
    public static TrustedDirectory open(Path directory) throws IOException {
        int self = ProcessUser.uid();
        Path real = PathTrust.trustedDirectory(directory, self);
        DirectoryStream<Path> stream = Files.newDirectoryStream(real);
        boolean kept = false;
        try {
            if (!(stream instanceof SecureDirectoryStream)) {
                throw new UntrustedPathException("this platform cannot keep a directory open to read its files"
                        + " (no SecureDirectoryStream), so " + real + " could be swapped while in use");
            }
            @SuppressWarnings("unchecked")
            SecureDirectoryStream<Path> secure = (SecureDirectoryStream<Path>) stream;
            Object opened = secure.getFileAttributeView(BasicFileAttributeView.class).readAttributes().fileKey();
            FileMode now = FileMode.of(real);
            if (!now.isDirectory() || !opened.equals(now.fileKey)) {
                throw new UntrustedPathException(real + " was replaced while it was opened");
            }
            if (!now.ownedBy(self) || now.othersMayWrite()) {
                throw new UntrustedPathException(real + " changed owner or mode while it was opened");
            }
            kept = true;
            return new TrustedDirectory(real, secure, self);
        } finally {
            if (!kept) {
                stream.close();
            }
        }
    }

    /**
     * As {@link #open}, first making {@code directory} (and its missing parents) private to this user if it
     * is not there; nothing is made under a directory that is not trusted: the nearest one that exists is
     * checked first.
     */
    public static TrustedDirectory openMadeIfMissing(Path directory) throws IOException {
        if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            Path existing = directory.toAbsolutePath().normalize();
            while (existing.getParent() != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                existing = existing.getParent();
            }
            PathTrust.trustedDirectory(existing, ProcessUser.uid());
            Files.createDirectories(directory,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        return open(directory);
    }

    public Path path() {
        return path;
    }

    /** Whether this process may create files here (false on a read-only file system). */
    public boolean writable() {
        return Files.isWritable(path);
    }

    /**
     * The content of {@code name}; null if there is no such file. Throws {@link UntrustedPathException}
     * if it is there but not trusted, or larger than {@code limit} bytes.
     */
    public byte[] read(String name, int limit) throws IOException {
        Path relative = relative(name);
        Object before;
        try {
            before = fileKey(relative);
        } catch (NoSuchFileException e) {
            return null;
        }
        FileMode mode = FileMode.of(path.resolve(name));
        if (!before.equals(mode.fileKey)) {
            throw new UntrustedPathException(path.resolve(name) + " was replaced while it was read");
        }
        if (!mode.isRegularFile()) {
            throw new UntrustedPathException(path.resolve(name) + " is " + mode.kind() + ", not a regular file");
        }
        if (!mode.ownedBy(self)) {
            throw new UntrustedPathException(path.resolve(name) + " belongs to uid " + mode.uid
                    + ", neither this process's uid " + self + " nor root");
        }
        if (mode.othersMayWrite()) {
            throw new UntrustedPathException("others may write to " + path.resolve(name) + " (" + mode.permissions() + ")");
        }
        if (mode.size > limit) {
            throw new UntrustedPathException(path.resolve(name) + " has " + mode.size + " bytes, over the limit of " + limit);
        }
        ByteBuffer content = ByteBuffer.allocate((int) mode.size + 1);
        try (SeekableByteChannel channel = directory.newByteChannel(relative,
                new HashSet<OpenOption>(Arrays.asList(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)))) {
            while (content.hasRemaining() && channel.read(content) > 0) {
                // until the end, or one byte past the size it had: then it grew while read
            }
        }
        if (content.position() != mode.size || !before.equals(fileKey(relative))) {
            throw new UntrustedPathException(path.resolve(name) + " changed while it was read");
        }
        return Arrays.copyOf(content.array(), content.position());
    }

    /** Writes {@code name} whole or not at all: a new file only this user may read, then renamed over it. */
    public void write(String name, byte[] content) throws IOException {
        Path temporary = relative(name + "." + Long.toHexString(System.nanoTime()) + "-"
                + Thread.currentThread().getId() + ".tmp");
        Set<OpenOption> options = new HashSet<OpenOption>(Arrays.asList(
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS));
        boolean moved = false;
        try {
            try (SeekableByteChannel channel = directory.newByteChannel(temporary, options,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
            directory.move(temporary, directory, relative(name));
            moved = true;
        } finally {
            if (!moved) {
                try {
                    directory.deleteFile(temporary);
                } catch (IOException ignored) {
                    // never created, or gone already
                }
            }
        }
    }

    /** The names of the regular files here that end with {@code suffix}, sorted. */
    public List<String> names(String suffix) throws IOException {
        List<String> names = new ArrayList<String>();
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(path)) {
            for (Path file : listing) {
                String name = file.getFileName().toString();
                if (name.endsWith(suffix) && FileMode.of(path.resolve(name)).isRegularFile()) {
                    names.add(name);
                }
            }
        }
        Collections.sort(names);
        return names;
    }

    /** Sets the permissions of {@code name}, without following a symbolic link. */
    public void setPermissions(String name, String permissions) throws IOException {
        directory.getFileAttributeView(relative(name), PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setPermissions(PosixFilePermissions.fromString(permissions));
    }

    /** Sets the permissions of the directory itself, through the open directory. */
    public void setOwnPermissions(String permissions) throws IOException {
        directory.getFileAttributeView(PosixFileAttributeView.class)
                .setPermissions(PosixFilePermissions.fromString(permissions));
    }

    @Override
    public void close() throws IOException {
        directory.close();
    }

    private Object fileKey(Path relative) throws IOException {
        return directory.getFileAttributeView(relative, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .readAttributes().fileKey();
    }

    private Path relative(String name) {
        if (name.isEmpty() || name.indexOf('/') >= 0 || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("not a file name: " + name);
        }
        return path.getFileSystem().getPath(name);
    }
}
