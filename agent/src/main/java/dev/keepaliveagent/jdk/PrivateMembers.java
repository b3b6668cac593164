package dev.keepaliveagent.jdk;

import dev.keepaliveagent.JavaFeature;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * Method handles on the private members of JDK classes, the same way on every JDK: core reflection
 * made accessible, then unreflected. On JDK 8 nothing stands in the way; on 9+ it needs the member's
 * package opened to the agent ({@link JdkAccess#openInternals}), which {@code privateLookupIn}
 * needed too. Only the lookup is reflective: the handles are direct.
 *
 * <p>Handles on the JDK's internals are for the agent's own classes: each call shows a full-privilege
 * lookup of the caller ({@code MethodHandles.lookup()}), which code outside the agent cannot make for an
 * agent class (from JDK 14; a lookup {@code privateLookupIn} makes across modules lacks {@code MODULE}).
 */
public final class PrivateMembers {

    private PrivateMembers() {
    }

    /** A static or instance method of exactly {@code type} (an instance method's handle takes the receiver first). */
    public static MethodHandle method(MethodHandles.Lookup caller, Class<?> owner, String name, MethodType type)
            throws ReflectiveOperationException {
        checkCaller(caller);
        Method method = owner.getDeclaredMethod(name, type.parameterArray());
        if (method.getReturnType() != type.returnType()) {
            throw new NoSuchMethodException(owner.getName() + "." + name + type + " (it returns " + method.getReturnType() + ")");
        }
        method.setAccessible(true);
        return MethodHandles.lookup().unreflect(method);
    }

    /** Reads a static or instance field of exactly {@code type}. */
    public static MethodHandle getter(MethodHandles.Lookup caller, Class<?> owner, String name, Class<?> type)
            throws ReflectiveOperationException {
        checkCaller(caller);
        return MethodHandles.lookup().unreflectGetter(field(owner, name, type));
    }

    /** Writes an instance field of exactly {@code type}. */
    public static MethodHandle setter(MethodHandles.Lookup caller, Class<?> owner, String name, Class<?> type)
            throws ReflectiveOperationException {
        checkCaller(caller);
        return MethodHandles.lookup().unreflectSetter(field(owner, name, type));
    }

    /** {@code Lookup.MODULE}, which JDK 8 lacks; 0 there. */
    private static final int MODULE = JavaFeature.running() >= 9 ? 0x10 : 0;
    private static final int FULL_PRIVILEGE = MethodHandles.Lookup.PRIVATE | MethodHandles.Lookup.PACKAGE | MODULE;

    private static void checkCaller(MethodHandles.Lookup caller) throws IllegalAccessException {
        Class<?> type = caller.lookupClass();
        if (type.getClassLoader() != PrivateMembers.class.getClassLoader() || !type.getName().startsWith("dev.keepaliveagent.")
                || (caller.lookupModes() & FULL_PRIVILEGE) != FULL_PRIVILEGE) {
            throw new IllegalAccessException("the JDK's internals are for keepalive-agent's own classes, not " + type.getName());
        }
    }

    private static Field field(Class<?> owner, String name, Class<?> type) throws ReflectiveOperationException {
        Field field = owner.getDeclaredField(name);
        if (field.getType() != type) {
            throw new NoSuchFieldException(owner.getName() + "." + name + " is a " + field.getType().getName() + ", not a " + type.getName());
        }
        field.setAccessible(true);
        return field;
    }
}
