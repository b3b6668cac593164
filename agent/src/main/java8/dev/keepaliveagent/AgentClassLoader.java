package dev.keepaliveagent;

import java.net.URL;
import java.net.URLClassLoader;

/**
 * Loads the agent proper, Byte Buddy and tinylog from the agent jar, beside the app rather than
 * inside it: its parent is the platform loader, so the app's classes and resources (its
 * {@code tinylog.properties}, its own Byte Buddy) are invisible here and ours are invisible there.
 */
final class AgentClassLoader extends URLClassLoader {

    /** Bootstrap classes of the agent: only ever the one copy the agent injected into the boot loader. */
    private static final String BOOTSTRAP_PACKAGE = "dev.keepaliveagent.boot.";

    static {
        registerAsParallelCapable();
    }

    AgentClassLoader(URL agentJar) {
        super(new URL[] {agentJar}, jdkLoader());
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
        return super.loadClass(name, resolve);
    }
}
