package dev.keepaliveagent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keepaliveagent.boot.Switchboard;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;
import net.bytebuddy.jar.asm.Type;
import org.junit.jupiter.api.Test;

/**
 * Every hook of the table calls a method {@code Switchboard} has, with values of the types it takes:
 * the weaver writes the calls as the table says and does not check them against {@code Switchboard}.
 */
class HooksTest {

    private static final Map<String, Class<?>> PRIMITIVES = new HashMap<>();

    static {
        for (Class<?> primitive : new Class<?>[] {int.class, long.class, boolean.class, byte.class, short.class,
            char.class, float.class, double.class}) {
            PRIMITIVES.put(primitive.getName(), primitive);
        }
    }

    @Test
    void everyHookCallsASwitchboardMethodWithValuesOfItsTypes() {
        for (Target target : Targets.ALL) {
            for (Hook hook : target.hooks) {
                Method called = switchboardMethod(hook);
                String where = target + " → " + hook.method;
                assertTrue(Modifier.isPublic(called.getModifiers()) && Modifier.isStatic(called.getModifiers()), where);
                Class<?>[] parameters = called.getParameterTypes();
                assertEquals(parameters.length, hook.values.length, where);
                for (int i = 0; i < parameters.length; i++) {
                    Class<?> passed = typeOf(target, hook, hook.values[i]);
                    assertTrue(passed == null ? !parameters[i].isPrimitive() : parameters[i].isAssignableFrom(passed),
                            where + ": value " + i + " is a " + passed + ", the parameter a " + parameters[i]);
                }
                if (hook.resultReplaces >= 0) {
                    assertEquals(Hook.At.ENTER, hook.at, where);
                    assertEquals(named(target.leadingArgumentTypes[hook.resultReplaces]), called.getReturnType(), where);
                }
            }
        }
    }

    @Test
    void aConstructorIsHookedOnlyOnReturn() {
        for (Target target : Targets.ALL) {
            for (Hook hook : target.hooks) {
                assertFalse(target.isConstructor() && hook.at != Hook.At.RETURN, target.toString());
            }
        }
    }

    private static Method switchboardMethod(Hook hook) {
        for (Method method : Switchboard.class.getMethods()) {
            if (method.getName().equals(hook.method) && Type.getMethodDescriptor(method).equals(hook.descriptor)) {
                return method;
            }
        }
        throw new AssertionError("Switchboard has no " + hook.method + hook.descriptor);
    }

    /** The value's type as the table vouches for it; null for null, or for a type this JDK does not have. */
    private static Class<?> typeOf(Target target, Hook hook, Hook.Value value) {
        switch (value.kind) {
            case ARGUMENT:
                // One not matched by its type is checked by the weaver against the method it weaves.
                return value.argument < target.leadingArgumentTypes.length
                        ? named(target.leadingArgumentTypes[value.argument]) : null;
            case FIELD:
                return named(Type.getType(value.fieldDescriptor).getClassName());
            case THIS:
                return Object.class; // what any hook taking the woven object takes
            case THROWN:
                assertEquals(Hook.At.THROW, hook.at, target.toString());
                return Throwable.class;
            case RETURNED:
                assertEquals(Hook.At.RETURN, hook.at, target.toString());
                return Object.class; // only ManagementFactory.getPlatformMBeanServer's MBeanServer
            case CONSTANT:
                return String.class;
            default:
                return null;
        }
    }

    private static Class<?> named(String typeName) {
        Class<?> primitive = PRIMITIVES.get(typeName);
        try {
            return primitive != null ? primitive : Class.forName(typeName, false, null);
        } catch (ClassNotFoundException e) {
            return null; // java.net.AbstractPlainSocketImpl, gone since JDK 18: checked on the JDKs that have it
        }
    }
}
