package dev.keepaliveagent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** One JDK method the agent instruments, the advice it gets, and the JDK feature releases that have it. */
final class Target {

    final String typeName;
    final String methodName;
    final String[] argumentTypes;
    final Class<?> advice;
    final int firstJdk;
    final int lastJdk;

    private Target(String typeName, String methodName, String[] argumentTypes, Class<?> advice, int firstJdk, int lastJdk) {
        this.typeName = typeName;
        this.methodName = methodName;
        this.argumentTypes = argumentTypes;
        this.advice = advice;
        this.firstJdk = firstJdk;
        this.lastJdk = lastJdk;
    }

    /** A method matched by name and by its leading argument types, so that later JDKs may append arguments. */
    static Target of(String type, String method, Class<?> advice, int firstJdk, int lastJdk, String... argumentTypes) {
        return new Target(type, method, argumentTypes, advice, firstJdk, lastJdk);
    }

    boolean expectedOn(int jdk) {
        return jdk >= firstJdk && jdk <= lastJdk;
    }

    ElementMatcher.Junction<MethodDescription> methodMatcher() {
        ElementMatcher.Junction<MethodDescription> matcher = named(methodName);
        for (int i = 0; i < argumentTypes.length; i++) {
            matcher = matcher.and(takesArgument(i, named(argumentTypes[i])));
        }
        return matcher;
    }

    @Override
    public String toString() {
        return typeName.substring(typeName.lastIndexOf('.') + 1) + "." + methodName;
    }
}
