import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Writes the init container's image as an OCI image layout in one tar file, without a container engine:
 * one layer holding /keepalive-agent/{keepalive-agent.jar, keepalive-agent.jar.sha256, install}, a config
 * whose entry point is that install command, a manifest and an index naming the version as its tag.
 * Every byte comes from the inputs and the build's timestamp, so the same jar gives the same digest.
 * Then {@code skopeo copy oci-archive:FILE docker://REGISTRY/keepalive-agent:VERSION} (or {@code podman load},
 * {@code docker load} of Docker 25 and later) publishes or loads it.
 *
 * <pre>java OciImage.java VERSION TIMESTAMP JAR JAR.sha256 INSTALL OUTPUT.tar</pre>
 * prints the image's digest (that of its manifest).
 */
public final class OciImage {

    private static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final String CONFIG = "application/vnd.oci.image.config.v1+json";
    private static final String LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
    private static final String SOURCE = "https://github.com/keepalive-agent/keepalive-agent";

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: java OciImage.java VERSION TIMESTAMP JAR JAR.sha256 INSTALL OUTPUT.tar");
            System.exit(2);
        }
        String version = args[0];
        Instant created = Instant.parse(args[1]);
        long mtime = created.getEpochSecond();

        Tar layer = new Tar(mtime);
        layer.directory("keepalive-agent/");
        layer.file("keepalive-agent/install", 0555, Files.readAllBytes(Paths.get(args[4])));
        layer.file("keepalive-agent/keepalive-agent.jar", 0444, Files.readAllBytes(Paths.get(args[2])));
        layer.file("keepalive-agent/keepalive-agent.jar.sha256", 0444, Files.readAllBytes(Paths.get(args[3])));
        byte[] layerTar = layer.finish();
        byte[] layerGzip = gzip(layerTar);

        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("org.opencontainers.image.title", "keepalive-agent");
        labels.put("org.opencontainers.image.description",
                "The keepalive-agent jar and the command that copies it into a pod's volume");
        labels.put("org.opencontainers.image.version", version);
        labels.put("org.opencontainers.image.licenses", "Apache-2.0");
        labels.put("org.opencontainers.image.source", SOURCE);
        labels.put("org.opencontainers.image.created", created.toString());

        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":" + quote(created.toString())
                + ",\"config\":{\"Entrypoint\":[\"/keepalive-agent/install\"],\"Cmd\":[\"/opt/keepalive-agent\"],"
                + "\"WorkingDir\":\"/\",\"Labels\":" + object(labels) + "},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + quote("sha256:" + sha256(layerTar)) + "]},"
                + "\"history\":[{\"created\":" + quote(created.toString())
                + ",\"created_by\":\"deploy/image/OciImage.java\"}]}";
        byte[] configBytes = config.getBytes(StandardCharsets.UTF_8);

        String manifest = "{\"schemaVersion\":2,\"mediaType\":" + quote(MANIFEST) + ","
                + "\"config\":" + descriptor(CONFIG, configBytes) + ","
                + "\"layers\":[" + descriptor(LAYER, layerGzip) + "],"
                + "\"annotations\":" + object(labels) + "}";
        byte[] manifestBytes = manifest.getBytes(StandardCharsets.UTF_8);
        String digest = "sha256:" + sha256(manifestBytes);

        Map<String, String> tag = new LinkedHashMap<>();
        tag.put("org.opencontainers.image.ref.name", version);
        String index = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
                + "\"manifests\":[{\"mediaType\":" + quote(MANIFEST) + ",\"digest\":" + quote(digest)
                + ",\"size\":" + manifestBytes.length + ",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"},"
                + "\"annotations\":" + object(tag) + "}]}";

        Tar layout = new Tar(mtime);
        layout.file("oci-layout", 0444, "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        layout.file("index.json", 0444, index.getBytes(StandardCharsets.UTF_8));
        layout.directory("blobs/");
        layout.directory("blobs/sha256/");
        layout.file("blobs/sha256/" + sha256(configBytes), 0444, configBytes);
        layout.file("blobs/sha256/" + sha256(layerGzip), 0444, layerGzip);
        layout.file("blobs/sha256/" + sha256(manifestBytes), 0444, manifestBytes);
        Path output = Paths.get(args[5]);
        Files.write(output, layout.finish());
        System.out.println(digest);
    }

    private static String descriptor(String mediaType, byte[] content) throws NoSuchAlgorithmException {
        return "{\"mediaType\":" + quote(mediaType) + ",\"digest\":" + quote("sha256:" + sha256(content))
                + ",\"size\":" + content.length + "}";
    }

    private static String object(Map<String, String> entries) {
        StringBuilder json = new StringBuilder("{");
        for (Map.Entry<String, String> entry : entries.entrySet()) {
            json.append(json.length() > 1 ? "," : "").append(quote(entry.getKey())).append(':').append(quote(entry.getValue()));
        }
        return json.append('}').toString();
    }

    /** The inputs are this file's own constants, a version and a timestamp: only quotes and backslashes to escape. */
    private static String quote(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** Java's gzip header has no name and a zero time: the same bytes in give the same bytes out. */
    private static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(content);
        }
        return out.toByteArray();
    }

    private static String sha256(byte[] content) throws NoSuchAlgorithmException {
        StringBuilder hex = new StringBuilder();
        for (byte b : MessageDigest.getInstance("SHA-256").digest(content)) {
            hex.append(String.format("%02x", b));
        }
        return hex.toString();
    }

    /** A POSIX ustar archive, owned by root, every entry at one time. */
    private static final class Tar {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final long mtime;

        Tar(long mtime) {
            this.mtime = mtime;
        }

        void directory(String name) throws IOException {
            entry(name, 0755, '5', new byte[0]);
        }

        void file(String name, int mode, byte[] content) throws IOException {
            entry(name, mode, '0', content);
        }

        private void entry(String name, int mode, char type, byte[] content) throws IOException {
            byte[] header = new byte[512];
            put(header, 0, 100, name.getBytes(StandardCharsets.US_ASCII));
            octal(header, 100, 8, mode);
            octal(header, 108, 8, 0);
            octal(header, 116, 8, 0);
            octal(header, 124, 12, content.length);
            octal(header, 136, 12, mtime);
            header[156] = (byte) type;
            put(header, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
            put(header, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
            put(header, 265, 32, "root".getBytes(StandardCharsets.US_ASCII));
            put(header, 297, 32, "root".getBytes(StandardCharsets.US_ASCII));
            for (int i = 148; i < 156; i++) {
                header[i] = ' ';
            }
            long checksum = 0;
            for (byte b : header) {
                checksum += b & 0xff;
            }
            octal(header, 148, 7, checksum);
            out.write(header);
            out.write(content);
            pad(out, content.length);
        }

        byte[] finish() throws IOException {
            out.write(new byte[1024]);
            return out.toByteArray();
        }

        private static void pad(OutputStream out, long length) throws IOException {
            int rest = (int) (length % 512);
            if (rest != 0) {
                out.write(new byte[512 - rest]);
            }
        }

        private static void put(byte[] header, int offset, int width, byte[] value) {
            if (value.length > width) {
                throw new IllegalArgumentException("too long for a tar header: " + new String(value, StandardCharsets.US_ASCII));
            }
            System.arraycopy(value, 0, header, offset, value.length);
        }

        /** A zero-padded octal number of width - 1 digits and a NUL. */
        private static void octal(byte[] header, int offset, int width, long value) {
            String digits = Long.toOctalString(value);
            while (digits.length() < width - 1) {
                digits = "0" + digits;
            }
            put(header, offset, width, (digits + "\0").getBytes(StandardCharsets.US_ASCII));
        }
    }
}
