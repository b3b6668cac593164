package dev.keepaliveagent.trust;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Whether a directory can be changed by nobody but this user and root, judged as sshd judges
 * {@code authorized_keys} under StrictModes: every symbolic link on the way is this user's or root's,
 * and the directory and each of its real parents up to {@code /} is owned by this user or root and
 * writable by no one else, save a sticky directory of root's such as {@code /tmp}, in which no one
 * may rename or delete what is not theirs.
 */
final class PathTrust {

    private PathTrust() {
    }

    /** The directory's real path, if it is trusted. */
    static Path trustedDirectory(Path directory, int self) throws IOException {
        Path absolute = directory.toAbsolutePath().normalize();
        Path prefix = absolute.getRoot();
        for (Path name : absolute) {
            prefix = prefix.resolve(name);
            FileMode mode = FileMode.of(prefix);
            if (mode.isSymbolicLink() && !mode.ownedBy(self)) {
                throw new UntrustedPathException(prefix + " is a symbolic link of uid " + mode.uid
                        + ", neither this process's uid " + self + " nor root");
            }
        }
        Path real = absolute.toRealPath();
        FileMode own = FileMode.of(real);
        if (!own.isDirectory()) {
            throw new UntrustedPathException(real + " is " + own.kind() + ", not a directory");
        }
        check(real, own, self, false);
        for (Path parent = real.getParent(); parent != null; parent = parent.getParent()) {
            check(parent, FileMode.of(parent), self, true);
        }
        return real;
    }

    private static void check(Path path, FileMode mode, int self, boolean parent) throws UntrustedPathException {
        if (!mode.ownedBy(self)) {
            throw new UntrustedPathException(path + " belongs to uid " + mode.uid + ", neither this process's uid "
                    + self + " nor root");
        }
        if (mode.othersMayWrite() && !(parent && mode.isSticky())) {
            throw new UntrustedPathException("others may write to " + path + " (" + mode.permissions() + ")");
        }
    }
}
