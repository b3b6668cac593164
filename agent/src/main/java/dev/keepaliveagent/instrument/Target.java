package dev.keepaliveagent.instrument;

import java.lang.reflect.Executable;

/**
 * One method the agent instruments, the hooks woven into it, and the JDK feature releases that have it;
 * or one method of a library (Netty), woven in whatever class loader loads it, under its own
 * package or a shaded copy of it. Plain data: reading the table loads no class-file library.
 */
final class Target {

    /** The method name that stands for a constructor, as the class file names it. */
    static final String CONSTRUCTOR = "<init>";

    final String typeName;
    final String methodName;
    final String[] leadingArgumentTypes;
    final Hook[] hooks;
    final int firstJdk;
    final int lastJdk;
    final boolean inLibrary;
    /** Whether the argument types are all of them, not only the leading ones. */
    final boolean exactArguments;

    private Target(String typeName, String methodName, String[] leadingArgumentTypes, Hook[] hooks,
                   int firstJdk, int lastJdk, boolean inLibrary, boolean exactArguments) {
        this.typeName = typeName;
        this.methodName = methodName;
        this.leadingArgumentTypes = leadingArgumentTypes;
        this.hooks = hooks;
        this.firstJdk = firstJdk;
        this.lastJdk = lastJdk;
        this.inLibrary = inLibrary;
        this.exactArguments = exactArguments;
    }

    /** A method matched by name and by its leading argument types, so that later JDKs may append arguments. */
    static Target of(String type, String method, Hook[] hooks, int firstJdk, int lastJdk, String... leadingArgumentTypes) {
        return new Target(type, method, leadingArgumentTypes, hooks,
                firstJdk, lastJdk, false, false);
    }

    /** As {@link #of}, for a method that has overloads with more arguments: these argument types, no others. */
    static Target exactly(String type, String method, Hook[] hooks, int firstJdk, int lastJdk, String... argumentTypes) {
        return new Target(type, method, argumentTypes, hooks,
                firstJdk, lastJdk, false, true);
    }

    /**
     * A library's method (or one of a JDK class the agent does not load itself), woven when the
     * class is loaded, matched by name (and by leading JDK argument types, if given) wherever the library is loaded. */
    static Target inLibrary(String type, String method, Hook[] hooks, String... leadingArgumentTypes) {
        return new Target(type, method, leadingArgumentTypes, hooks,
                0, Integer.MAX_VALUE, true, false);
    }

    /** Whether it is woven on this JDK: a JDK target on the releases it names, a library's wherever the library turns up. */
    boolean appliesOn(int jdk) {
        return inLibrary || jdk >= firstJdk && jdk <= lastJdk;
    }

    /** Whether the JDK running the agent must have it; a library's target is woven only if the library turns up. */
    boolean expectedOn(int jdk) {
        return !inLibrary && appliesOn(jdk);
    }

    boolean isConstructor() {
        return methodName.equals(CONSTRUCTOR);
    }

    /** {@code method}: a method, or a constructor of the target's type. */
    boolean matches(Executable method) {
        String name = method instanceof java.lang.reflect.Constructor ? CONSTRUCTOR : method.getName();
        if (!name.equals(methodName)) {
            return false; // most of a class's methods: their argument types need no naming
        }
        Class<?>[] parameters = method.getParameterTypes();
        String[] argumentTypeNames = new String[parameters.length];
        for (int i = 0; i < parameters.length; i++) {
            argumentTypeNames[i] = parameters[i].getTypeName(); // "byte[]", as the table names it, where getName says "[B"
        }
        return matches(name, argumentTypeNames);
    }

    /** {@code argumentTypeNames}: a method's, as Java names them ({@code int}, {@code byte[]}, {@code java.net.InetAddress}). */
    boolean matches(String name, String[] argumentTypeNames) {
        if (!name.equals(methodName) || argumentTypeNames.length < leadingArgumentTypes.length
                || exactArguments && argumentTypeNames.length != leadingArgumentTypes.length) {
            return false;
        }
        for (int i = 0; i < leadingArgumentTypes.length; i++) {
            if (!argumentTypeNames[i].equals(leadingArgumentTypes[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        String type = typeName.substring(typeName.lastIndexOf('.') + 1);
        return isConstructor() ? "new " + type : type + "." + methodName;
    }
}
