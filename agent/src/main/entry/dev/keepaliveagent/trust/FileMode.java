package dev.keepaliveagent.trust;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/** What {@code lstat} says of one path: owner, mode bits and identity, never following a last symlink. */
final class FileMode {

    private static final int TYPE = 0170000;
    private static final int DIRECTORY = 0040000;
    private static final int REGULAR = 0100000;
    private static final int SYMLINK = 0120000;
    private static final int STICKY = 01000;
    private static final int WRITE_BY_GROUP_OR_OTHERS = 022;
    private static final String ATTRIBUTES = "unix:uid,mode,size,fileKey";

    final int uid;
    final int mode;
    final long size;
    final Object fileKey;

    private FileMode(int uid, int mode, long size, Object fileKey) {
        this.uid = uid;
        this.mode = mode;
        this.size = size;
        this.fileKey = fileKey;
    }

    static FileMode of(Path path) throws IOException {
        return of(Files.readAttributes(path, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS));
    }

    /** What {@code stat} says: of the file a symbolic link leads to. */
    static FileMode ofTarget(Path path) throws IOException {
        return of(Files.readAttributes(path, ATTRIBUTES));
    }

    private static FileMode of(Map<String, Object> attributes) {
        return new FileMode((Integer) attributes.get("uid"), (Integer) attributes.get("mode"),
                (Long) attributes.get("size"), attributes.get("fileKey"));
    }

    boolean isDirectory() {
        return (mode & TYPE) == DIRECTORY;
    }

    boolean isRegularFile() {
        return (mode & TYPE) == REGULAR;
    }

    boolean isSymbolicLink() {
        return (mode & TYPE) == SYMLINK;
    }

    boolean isSticky() {
        return (mode & STICKY) != 0;
    }

    boolean othersMayWrite() {
        return (mode & WRITE_BY_GROUP_OR_OTHERS) != 0;
    }

    /** This user's or root's: nobody else can be kept out of what root owns anyway. */
    boolean ownedBy(int self) {
        return uid == self || uid == 0;
    }

    /** As {@code ls -l} shows the permissions, e.g. {@code rwxrwxrwt}. */
    String permissions() {
        String letters = "rwxrwxrwx";
        StringBuilder text = new StringBuilder();
        for (int bit = 0; bit < 9; bit++) {
            text.append((mode & (0400 >> bit)) != 0 ? letters.charAt(bit) : '-');
        }
        if (isSticky()) {
            text.setCharAt(8, (mode & 01) != 0 ? 't' : 'T');
        }
        return text.toString();
    }

    String kind() {
        switch (mode & TYPE) {
            case DIRECTORY: return "a directory";
            case REGULAR: return "a regular file";
            case SYMLINK: return "a symbolic link";
            case 0010000: return "a FIFO";
            case 0140000: return "a socket";
            case 0020000: return "a character device";
            case 0060000: return "a block device";
            default: return "a file of unknown type";
        }
    }
}
