import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Build step, run by the source launcher after shading: moves the relocated Byte Buddy and tinylog
 * classes ({@code dev/keepaliveagent/shaded/}) into one stored entry of the agent jar,
 * {@code META-INF/keepalive-agent/shaded.jar}, which the agent's class loader reads in place. The JVM
 * indexes every entry of an agent jar before {@code premain}, about 2 µs each on a fresh JVM: 120 entries
 * instead of 3,500. Entries keep their order and times, so two builds of a commit give the same bytes.
 *
 * <pre>java agent/src/build/NestShadedClasses.java target/keepalive-agent.jar</pre>
 */
public final class NestShadedClasses {

    static final String SHADED = "dev/keepaliveagent/shaded/";
    static final String NESTED = "META-INF/keepalive-agent/shaded.jar";

    public static void main(String[] args) throws IOException {
        Path jar = Paths.get(args[0]);
        Path nested = jar.resolveSibling(jar.getFileName() + ".nested");
        try (ZipFile shaded = new ZipFile(jar.toFile())) {
            List<ZipEntry> outer = new ArrayList<>();
            List<ZipEntry> inner = new ArrayList<>();
            for (ZipEntry entry : Collections.list(shaded.entries())) {
                if (!entry.getName().equals(NESTED)) { // one left by an earlier build the jar was made from
                    (entry.getName().startsWith(SHADED) ? inner : outer).add(entry);
                }
            }
            if (inner.isEmpty()) {
                throw new IllegalStateException(jar + " has no " + SHADED + " entries: nested already, or not shaded");
            }
            byte[] innerJar = zip(shaded, inner);
            try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(nested))) {
                for (ZipEntry entry : outer) {
                    copy(shaded, entry, out);
                }
                ZipEntry stored = new ZipEntry(NESTED);
                stored.setTime(outer.get(0).getTime());
                stored.setMethod(ZipEntry.STORED);
                stored.setSize(innerJar.length);
                stored.setCompressedSize(innerJar.length);
                CRC32 crc = new CRC32();
                crc.update(innerJar);
                stored.setCrc(crc.getValue());
                out.putNextEntry(stored);
                out.write(innerJar);
                out.closeEntry();
            }
            System.out.println("nested " + inner.size() + " entries of " + jar.getFileName() + " into " + NESTED
                    + "; " + (outer.size() + 1) + " entries remain");
        }
        Files.move(nested, jar, StandardCopyOption.REPLACE_EXISTING);
    }

    private static byte[] zip(ZipFile from, List<ZipEntry> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (ZipEntry entry : entries) {
                copy(from, entry, out);
            }
        }
        return bytes.toByteArray();
    }

    private static void copy(ZipFile from, ZipEntry entry, ZipOutputStream out) throws IOException {
        ZipEntry copy = new ZipEntry(entry.getName());
        copy.setTime(entry.getTime());
        out.putNextEntry(copy);
        try (InputStream in = from.getInputStream(entry)) {
            in.transferTo(out);
        }
        out.closeEntry();
    }
}
