package dev.keepaliveagent;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The relocated Byte Buddy and tinylog, kept as one stored entry of the agent jar
 * ({@code META-INF/keepalive-agent/shaded.jar}, made by the build's {@code NestShadedClasses}) so that the
 * JVM, which indexes every entry of an agent jar before {@code premain}, indexes 120 of them rather than
 * 3,500. Read in place from the agent jar's file: a small reader of the zip format (no ZIP64, which a
 * jar of this size never needs), its index built when a class is first looked for here, which happens on
 * the agent's own thread.
 */
final class NestedJar {

    static final String ENTRY = "META-INF/keepalive-agent/shaded.jar";

    private static final int END_HEADER = 0x06054b50;
    private static final int CENTRAL_HEADER = 0x02014b50;
    private static final int LOCAL_HEADER = 0x04034b50;

    private final RandomAccessFile file;
    /** name -> {offset of its local header in the agent jar, method, compressed size, size} */
    private final Map<String, long[]> entries = new HashMap<>();

    private NestedJar(RandomAccessFile file) {
        this.file = file;
    }

    /**
     * The nested jar of the agent jar open as {@code file} (opened with the jar itself, so that a jar
     * replaced on disk meanwhile is never mixed with the one the JVM runs); null if it has none.
     */
    static NestedJar open(RandomAccessFile file) throws IOException {
        try {
            NestedJar nested = new NestedJar(file);
            long[] outer = centralDirectory(file, 0, file.length());
            long[] stored = nested.find(file, outer, ENTRY);
            if (stored == null || stored[1] != 0) {
                return null;
            }
            long start = dataStart(file, stored[0]);
            nested.index(centralDirectory(file, start, stored[2]), start);
            return nested;
        } catch (RuntimeException e) {
            throw new IOException("unreadable " + ENTRY + ": " + e, e);
        }
    }

    /** The entry's bytes, or null if there is no such entry. */
    byte[] read(String name) throws IOException {
        long[] entry = entries.get(name);
        if (entry == null) {
            return null;
        }
        byte[] compressed = new byte[(int) entry[2]];
        synchronized (file) {
            file.seek(dataStart(file, entry[0]));
            file.readFully(compressed);
        }
        if (entry[1] == 0) {
            return compressed;
        }
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(compressed);
            byte[] content = new byte[(int) entry[3]];
            int n = 0;
            while (n < content.length && !inflater.finished()) {
                int inflated = inflater.inflate(content, n, content.length - n);
                if (inflated == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                n += inflated;
            }
            if (n != content.length) {
                throw new IOException(name + " in " + ENTRY + ": " + n + " of " + content.length + " bytes inflated");
            }
            return content;
        } catch (DataFormatException e) {
            throw new IOException(name + " in " + ENTRY + ": " + e, e);
        } finally {
            inflater.end();
        }
    }

    boolean contains(String name) {
        return entries.containsKey(name);
    }

    /** {offset, size} of the central directory of the zip at {@code [start, start + length)} of the file. */
    private static long[] centralDirectory(RandomAccessFile file, long start, long length) throws IOException {
        int tail = (int) Math.min(length, 22 + 65535);
        byte[] end = new byte[tail];
        synchronized (file) {
            file.seek(start + length - tail);
            file.readFully(end);
        }
        for (int at = tail - 22; at >= 0; at--) {
            if (int32(end, at) == END_HEADER) {
                return new long[] {start + uint32(end, at + 16), uint32(end, at + 12)};
            }
        }
        throw new IOException("no end of central directory");
    }

    /** {local header offset, method, compressed size, size} of {@code name} in a central directory. */
    private long[] find(RandomAccessFile file, long[] directory, String name) throws IOException {
        byte[] cen = read(file, directory);
        for (int at = 0; at + 46 <= cen.length && int32(cen, at) == CENTRAL_HEADER; at = next(cen, at)) {
            if (new String(cen, at + 46, uint16(cen, at + 28), "UTF-8").equals(name)) {
                return entry(cen, at, 0);
            }
        }
        return null;
    }

    private void index(long[] directory, long start) throws IOException {
        byte[] cen = read(file, directory);
        for (int at = 0; at + 46 <= cen.length && int32(cen, at) == CENTRAL_HEADER; at = next(cen, at)) {
            entries.put(new String(cen, at + 46, uint16(cen, at + 28), "UTF-8"), entry(cen, at, start));
        }
    }

    private static long[] entry(byte[] cen, int at, long start) {
        return new long[] {start + uint32(cen, at + 42), uint16(cen, at + 10), uint32(cen, at + 20), uint32(cen, at + 24)};
    }

    private static int next(byte[] cen, int at) {
        return at + 46 + uint16(cen, at + 28) + uint16(cen, at + 30) + uint16(cen, at + 32);
    }

    private static long dataStart(RandomAccessFile file, long localHeader) throws IOException {
        byte[] header = new byte[30];
        synchronized (file) {
            file.seek(localHeader);
            file.readFully(header);
        }
        if (int32(header, 0) != LOCAL_HEADER) {
            throw new IOException("no local header at " + localHeader);
        }
        return localHeader + 30 + uint16(header, 26) + uint16(header, 28);
    }

    private static byte[] read(RandomAccessFile file, long[] region) throws IOException {
        byte[] bytes = new byte[(int) region[1]];
        synchronized (file) {
            file.seek(region[0]);
            file.readFully(bytes);
        }
        return bytes;
    }

    private static int uint16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    private static int int32(byte[] b, int at) {
        return uint16(b, at) | uint16(b, at + 2) << 16;
    }

    private static long uint32(byte[] b, int at) {
        return int32(b, at) & 0xffffffffL;
    }
}
