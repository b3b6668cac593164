package dev.keepaliveagent.config;

import dev.keepaliveagent.trust.RegularFiles;
import dev.keepaliveagent.trust.UntrustedPathException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines of a config file: a regular file (refused at once if it is a FIFO, a device or a
 * directory, which could hang or fill the JVM before its {@code main}) of at most 64 KiB, in UTF-8.
 */
final class ConfigFileText {

    static final int LIMIT = 64 * 1024;

    private ConfigFileText() {
    }

    /** {@code named} says where the path came from, e.g. {@code config=/etc/app.conf (from KEEPALIVE_CONFIG)}. */
    static List<String> lines(String path, String named) throws InvalidArgumentException {
        byte[] bytes;
        try {
            bytes = RegularFiles.read(Paths.get(path), LIMIT);
        } catch (UntrustedPathException e) {
            throw new InvalidArgumentException(named + " cannot be read: " + e.getMessage()
                    + "; expected a regular file of at most 64 KiB");
        } catch (IOException | RuntimeException e) {
            throw new InvalidArgumentException(named + " cannot be read (" + e + "); expected a readable config file");
        }
        return split(decode(bytes, path, named));
    }

    private static String decode(byte[] bytes, String path, String named) throws InvalidArgumentException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int offset = in.position();
            throw new InvalidArgumentException(named + " is not UTF-8: byte " + offset + " (0x"
                    + Integer.toHexString(bytes[offset] & 0xff) + ") of " + path
                    + " starts no UTF-8 character; save the file as UTF-8");
        }
        out.flip();
        return out.toString();
    }

    /** As {@code Files.readAllLines}: lines end at \n, \r\n or \r. */
    private static List<String> split(String text) {
        List<String> lines = new ArrayList<String>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                lines.add(text.substring(start, i));
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        if (start < text.length()) {
            lines.add(text.substring(start));
        }
        return lines;
    }
}
