package dev.keepaliveagent.instrument;

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
 */
public final class PrivateMembers {

    private PrivateMembers() {
    }

    /** A static or instance method of exactly {@code type} (an instance method's handle takes the receiver first). */
    public static MethodHandle method(Class<?> owner, String name, MethodType type) throws ReflectiveOperationException {
        Method method = owner.getDeclaredMethod(name, type.parameterArray());
        if (method.getReturnType() != type.returnType()) {
            throw new NoSuchMethodException(owner.getName() + "." + name + type + " (it returns " + method.getReturnType() + ")");
        }
        method.setAccessible(true);
        return MethodHandles.lookup().unreflect(method);
    }

    /** Reads a static or instance field of exactly {@code type}. */
    public static MethodHandle getter(Class<?> owner, String name, Class<?> type) throws ReflectiveOperationException {
        return MethodHandles.lookup().unreflectGetter(field(owner, name, type));
    }

    /** Writes an instance field of exactly {@code type}. */
    public static MethodHandle setter(Class<?> owner, String name, Class<?> type) throws ReflectiveOperationException {
        return MethodHandles.lookup().unreflectSetter(field(owner, name, type));
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
