package dev.keepaliveagent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader of the jar within the agent jar, on jars made as the build makes them. */
class NestedJarTest {

    private static final byte[] CLASS = "a class file, compressible compressible compressible".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SERVICE = "stored as is".getBytes(StandardCharsets.UTF_8);

    @Test
    void readsEachEntryOfTheStoredJarInPlace(@TempDir Path dir) throws IOException {
        Path jar = dir.resolve("agent.jar");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
            put(out, "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n".getBytes(StandardCharsets.UTF_8), false);
            put(out, "dev/keepaliveagent/Outer.class", CLASS, false);
            put(out, NestedJar.ENTRY, innerJar(), true);
        }
        NestedJar nested = NestedJar.open(new java.io.RandomAccessFile(jar.toFile(), "r"));
        assertArrayEquals(CLASS, nested.read("dev/keepaliveagent/shaded/bytebuddy/Inner.class"));
        assertArrayEquals(SERVICE, nested.read("dev/keepaliveagent/shaded/stored.txt"));
        assertArrayEquals(new byte[0], nested.read("dev/keepaliveagent/shaded/"));
        assertNull(nested.read("dev/keepaliveagent/Outer.class"), "an entry of the jar itself is not the nested jar's");
        assertTrue(nested.contains("dev/keepaliveagent/shaded/stored.txt"));
        assertFalse(nested.contains("dev/keepaliveagent/shaded/Missing.class"));
    }

    @Test
    void aJarWithoutOneHasNone(@TempDir Path dir) throws IOException {
        Path jar = dir.resolve("plain.jar");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
            put(out, "dev/keepaliveagent/Outer.class", CLASS, false);
        }
        assertNull(NestedJar.open(new java.io.RandomAccessFile(jar.toFile(), "r")));
    }

    private static byte[] innerJar() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            put(out, "dev/keepaliveagent/shaded/", new byte[0], false);
            put(out, "dev/keepaliveagent/shaded/bytebuddy/Inner.class", CLASS, false);
            put(out, "dev/keepaliveagent/shaded/stored.txt", SERVICE, true);
        }
        return bytes.toByteArray();
    }

    private static void put(ZipOutputStream out, String name, byte[] content, boolean stored) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        if (stored) {
            CRC32 crc = new CRC32();
            crc.update(content);
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(content.length);
            entry.setCompressedSize(content.length);
            entry.setCrc(crc.getValue());
        }
        out.putNextEntry(entry);
        out.write(content);
        out.closeEntry();
    }
}
