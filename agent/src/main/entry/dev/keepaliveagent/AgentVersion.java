package dev.keepaliveagent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * {@code java -jar keepalive-agent.jar --version}: which build this jar is, on any JDK, so a fleet can
 * tell which build runs where and check it against the {@code .sha256} published beside the jar.
 */
final class AgentVersion {

    private AgentVersion() {
    }

    static String describe() throws IOException {
        Path jar = AgentJar.path();
        String version = null;
        String build = null;
        if (jar != null && Files.isRegularFile(jar)) {
            // This jar's own manifest: a class loader's META-INF/MANIFEST.MF may be another's (rt.jar's on JDK 8).
            try (JarFile file = new JarFile(jar.toFile())) {
                Manifest manifest = file.getManifest();
                if (manifest != null) {
                    version = manifest.getMainAttributes().getValue("Implementation-Version");
                    build = manifest.getMainAttributes().getValue("Build-Id");
                }
            }
        }
        StringBuilder text = new StringBuilder("keepalive-agent ")
                .append(version == null ? "(development build)" : version)
                .append("\nbuild   ").append(build == null ? "(none: not run from a built jar)" : build)
                .append("\njava    ").append(System.getProperty("java.version")).append(" (")
                .append(System.getProperty("java.vm.vendor")).append(")");
        if (jar != null && Files.isRegularFile(jar)) {
            text.append("\njar     ").append(jar).append("\nsha256  ").append(sha256(jar));
        }
        return text.toString();
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            return "(no SHA-256 in this runtime)";
        }
        byte[] buffer = new byte[65536];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        StringBuilder hex = new StringBuilder();
        for (byte b : digest.digest()) {
            hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return hex.toString();
    }
}
