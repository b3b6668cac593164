package dev.keepaliveagent;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Loads the agent proper, Byte Buddy and tinylog from the agent jar, beside the app rather than
 * inside it: its parent is the platform loader, so the app's classes and resources (its
 * {@code tinylog.properties}, its own Byte Buddy) are invisible here and ours are invisible there.
 *
 * <p>It reads the jar itself rather than being a {@code URLClassLoader}, because it runs on the app's
 * path at JVM start: a {@code URLClassLoader} asks for the permissions of its code source, which loads
 * and parses the JDK's {@code java.security} file, several milliseconds before the app's {@code main}.
 * The relocated Byte Buddy and tinylog are not entries of the jar but of a jar within it
 * ({@link NestedJar}), opened when a class is first not found among the jar's own entries; their URLs
 * are opened through this loader.
 */
final class AgentClassLoader extends ClassLoader {

    /** Bootstrap classes of the agent: only ever the one copy the agent injected into the boot loader. */
    private static final String BOOTSTRAP_PACKAGE = "dev.keepaliveagent.boot.";
    /**
     * The arguments' parser and the value it makes: the entry reads the arguments before this loader
     * exists, on the app's thread at JVM start, and hands the value over; one copy of these classes.
     */
    private static final String SHARED_PACKAGE = "dev.keepaliveagent.config.";
    private static final String MANIFEST = "META-INF/MANIFEST.MF";

    static {
        registerAsParallelCapable();
    }

    private final ClassLoader entryLoader;
    private final URL jarUrl;
    /** Open as long as the JVM runs, as a class path jar's is. */
    private final ZipFile jar;
    private final Attributes manifest;
    /** Permissions null: the domain's are its own, and no security policy is consulted. */
    private final ProtectionDomain domain;
    /** The same file, for the jar within it: opened now, so a jar replaced on disk later is never mixed in. */
    private final RandomAccessFile file;
    private NestedJar nested;
    private boolean nestedOpened;

    AgentClassLoader(URL jarUrl, String jarPath, ClassLoader entryLoader) throws IOException {
        super(jdkLoader());
        this.entryLoader = entryLoader;
        this.jarUrl = jarUrl;
        this.jar = new ZipFile(jarPath);
        this.file = new RandomAccessFile(jarPath, "r");
        this.manifest = readManifest(jar);
        this.domain = new ProtectionDomain(new CodeSource(jarUrl, (Certificate[]) null), null, this, null);
    }

    /**
     * The JDK's own loader just above the app's: the platform loader (JDK 9+), the extension loader
     * (JDK 8). Found by walking up from the system loader, so that a custom system loader
     * ({@code -Djava.system.class.loader}) never becomes the agent's parent.
     */
    private static ClassLoader jdkLoader() {
        ClassLoader loader = ClassLoader.getSystemClassLoader();
        while (loader.getParent() != null) {
            loader = loader.getParent();
        }
        return loader;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.startsWith(BOOTSTRAP_PACKAGE)) {
            // Defining a second copy here would give it its own statics, unseen by the JDK's hooks.
            return Class.forName(name, false, null);
        }
        if (name.startsWith(SHARED_PACKAGE)) {
            return Class.forName(name, false, entryLoader);
        }
        return super.loadClass(name, resolve);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] classFile;
        try {
            classFile = bytesOf(name.replace('.', '/') + ".class");
        } catch (IOException e) {
            throw new ClassNotFoundException(name + ": " + e, e);
        }
        if (classFile == null) {
            throw new ClassNotFoundException(name);
        }
        definePackageOf(name);
        return defineClass(name, classFile, 0, classFile.length, domain);
    }

    /** An entry of the jar, else of the jar within it; null if neither has it. */
    private byte[] bytesOf(String entryName) throws IOException {
        ZipEntry entry = jar.getEntry(entryName);
        if (entry != null) {
            try (InputStream in = jar.getInputStream(entry)) {
                return readAll(in, (int) entry.getSize());
            }
        }
        NestedJar inner = nested();
        return inner == null ? null : inner.read(entryName);
    }

    private synchronized NestedJar nested() throws IOException {
        if (!nestedOpened) {
            nested = NestedJar.open(file);
            nestedOpened = true;
        }
        return nested;
    }

    /** A jar's own manifest, then the parents' resources, then the jar's. */
    @Override
    public InputStream getResourceAsStream(String name) {
        if (name.equals(MANIFEST)) {
            // The agent's build is read here, and keys the cache of woven classes: a manifest of the boot class
            // path's (a jar on -Xbootclasspath/a, rt.jar's on JDK 8) must never stand in for this jar's own.
            return ownResource(name);
        }
        InputStream parents = getParent().getResourceAsStream(name);
        if (parents != null) {
            return parents;
        }
        return ownResource(name);
    }

    private InputStream ownResource(String name) {
        try {
            byte[] content = bytesOf(name);
            return content == null ? null : new ByteArrayInputStream(content);
        } catch (IOException e) {
            return null;
        }
    }

    /** With the jar's Implementation-Title and -Version, as a class path jar's packages have them. */
    private void definePackageOf(String className) {
        int dot = className.lastIndexOf('.');
        String packageName = dot < 0 ? "" : className.substring(0, dot);
        if (dot < 0 || getPackage(packageName) != null) {
            return;
        }
        try {
            definePackage(packageName, null, null, null, manifest.getValue(Attributes.Name.IMPLEMENTATION_TITLE),
                    manifest.getValue(Attributes.Name.IMPLEMENTATION_VERSION), null, null);
        } catch (IllegalArgumentException definedMeanwhile) {
            // another thread defined it first
        }
    }

    @Override
    protected URL findResource(String name) {
        try {
            if (jar.getEntry(name) != null) {
                return new URL("jar:" + jarUrl + "!/" + name);
            }
            NestedJar inner = nested();
            if (inner != null && inner.contains(name)) {
                // Read through this loader: code that reads class files by URL (another agent's
                // transformer, say) must find them, or it loads the class it is looking at again.
                return new URL(null, "jar:" + jarUrl + "!/" + NestedJar.ENTRY + "!/" + name, nestedEntries);
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Opens the URL of an entry of the nested jar: {@code jar:file:…!/META-INF/keepalive-agent/shaded.jar!/name}. */
    private final URLStreamHandler nestedEntries = new URLStreamHandler() {
        @Override
        protected URLConnection openConnection(final URL url) {
            final String name = url.getPath().substring(url.getPath().lastIndexOf("!/") + 2);
            return new URLConnection(url) {
                @Override
                public void connect() {
                }

                @Override
                public InputStream getInputStream() throws IOException {
                    byte[] content = bytesOf(name);
                    if (content == null) {
                        throw new FileNotFoundException(url.toString());
                    }
                    return new ByteArrayInputStream(content);
                }
            };
        }
    };

    @Override
    protected Enumeration<URL> findResources(String name) {
        URL url = findResource(name);
        return url == null ? Collections.<URL>emptyEnumeration() : Collections.enumeration(Collections.singletonList(url));
    }

    private static Attributes readManifest(ZipFile jar) throws IOException {
        ZipEntry entry = jar.getEntry(MANIFEST);
        if (entry == null) {
            return new Attributes();
        }
        try (InputStream in = jar.getInputStream(entry)) {
            return new Manifest(in).getMainAttributes();
        }
    }

    private static byte[] readAll(InputStream in, int size) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(size > 0 ? size : 8192);
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) > 0; ) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}
