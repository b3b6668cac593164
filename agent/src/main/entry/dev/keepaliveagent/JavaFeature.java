package dev.keepaliveagent;

/** The running Java's feature release, read the same way on JDK 8 ("1.8") as on later ones ("17"). */
public final class JavaFeature {

    private JavaFeature() {
    }

    /** 8 for "1.8", 17 for "17"; 0 if unreadable. */
    public static int running() {
        String version = System.getProperty("java.specification.version", "");
        try {
            return Integer.parseInt(version.startsWith("1.") ? version.substring(2) : version);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
