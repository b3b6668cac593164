package dev.keepaliveagent.instrument;

import static dev.keepaliveagent.instrument.Hook.Value.NULL;
import static dev.keepaliveagent.instrument.Hook.Value.RETURNED;
import static dev.keepaliveagent.instrument.Hook.Value.THIS;
import static dev.keepaliveagent.instrument.Hook.Value.THROWN;
import static dev.keepaliveagent.instrument.Hook.Value.argument;
import static dev.keepaliveagent.instrument.Hook.Value.constant;
import static dev.keepaliveagent.instrument.Hook.Value.field;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keepaliveagent.instrument.fixture.Recorder;
import dev.keepaliveagent.instrument.fixture.Woven;
import dev.keepaliveagent.jdk.JdkAccess;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The weaver's code as the JVM runs it: the fixture's methods, woven, defined in a loader of their own
 * (so the verifier checks every woven method) and called; the hooks record what they were given.
 */
class HookWeaverTest {

    private static final String WOVEN = Woven.class.getName();
    private static final String RECORDER = Recorder.class.getName().replace('.', '/');
    private static final String STRING = "Ljava/lang/String;";
    private static final String OBJECT = "Ljava/lang/Object;";

    @BeforeEach
    void forgetCalls() {
        Recorder.CALLS.clear();
    }

    @Test
    void aReturnHookRunsAtEveryReturnWithTheReturnedValueAndNeverOnAThrow() throws Exception {
        Class<?> woven = weave(Target.of(WOVEN, "connect", new Hook[] {
            Hook.onReturn("connected", "(J" + STRING + "II)V", argument(1), argument(2), argument(3), RETURNED),
        }, 0, Integer.MAX_VALUE, "java.lang.String", "long", "java.lang.String", "int"));

        assertEquals(81, call(woven, null, "connect", "inet", 7L, "peer", 80));
        assertEquals(0, call(woven, null, "connect", "inet", 7L, "peer", 0));
        InvocationTargetException thrown = assertThrows(InvocationTargetException.class,
                () -> call(woven, null, "connect", "inet", 7L, "peer", -1));
        assertEquals("port -1", thrown.getCause().getMessage());
        assertEquals(Arrays.asList("connected 7 peer:80 -> 81", "connected 7 peer:0 -> 0"), Recorder.CALLS);
    }

    @Test
    void anEnterHooksResultReplacesTheArgumentTheMethodThenSees() throws Exception {
        Class<?> woven = weave(Target.of(WOVEN, "setOption", new Hook[] {
            Hook.onEnterReplacing(2, "optionSet", "(" + STRING + OBJECT + ")" + OBJECT, argument(0), argument(2)),
            Hook.onReturn("optionWasSet", "(" + OBJECT + "D)V", argument(2), argument(1)),
        }, 0, Integer.MAX_VALUE, "java.lang.String", "double", "java.lang.Object"));

        assertEquals("stricter", call(woven, null, "setOption", "fd 7", 1.5, "the app's"));
        assertEquals(Arrays.asList("optionSet fd 7 the app's", "optionWasSet stricter 1.5"), Recorder.CALLS);
    }

    @Test
    void aPrimitiveArgumentIsReplacedAndAConstantPassed() throws Exception {
        Class<?> woven = weave(Target.of(WOVEN, "setIdle", new Hook[] {
            Hook.onEnterReplacing(0, "intOptionSet", "(" + STRING + "I)I", constant("TCP_KEEPIDLE"), argument(0)),
        }, 0, Integer.MAX_VALUE, "int"));

        assertEquals(600, call(woven, null, "setIdle", 7200));
        assertEquals(30, call(woven, null, "setIdle", 30));
        assertEquals(Arrays.asList("intOptionSet TCP_KEEPIDLE 7200", "intOptionSet TCP_KEEPIDLE 30"), Recorder.CALLS);
    }

    @Test
    void aBridgeMethodIsLeftAloneSoItsHooksRunOnce() throws Exception {
        Class<?> woven = weave(Target.of(WOVEN, "keepAlive", new Hook[] {
            Hook.onEnterReplacing(0, "keepaliveSet", "(" + OBJECT + STRING + "Z)Z", THIS, constant("SO_KEEPALIVE"), argument(0)),
        }, 0, Integer.MAX_VALUE, "boolean"));
        Object instance = woven.getConstructor().newInstance();

        Method bridge = woven.getDeclaredMethod("keepAlive", boolean.class);
        for (Method method : woven.getDeclaredMethods()) {
            if (method.isBridge()) {
                bridge = method;
            }
        }
        assertTrue(bridge.isBridge(), "the fixture has a bridge");
        bridge.invoke(instance, false);
        assertEquals(true, woven.getField("kept").get(instance));
        assertEquals(Collections.singletonList("keepaliveSet SO_KEEPALIVE false"), Recorder.CALLS);
    }

    @Test
    void aThrowHookSeesWhatTheMethodThrowsWhichPassesUnchangedAfterTheMethodsOwnHandlers() throws Exception {
        Class<?> woven = weave(Target.of(WOVEN, "read", new Hook[] {
            Hook.onThrow("failed", "(" + OBJECT + OBJECT + "Ljava/lang/Throwable;)V", THIS, argument(0), THROWN),
        }, 0, Integer.MAX_VALUE));
        Object instance = woven.getConstructor().newInstance();

        assertEquals(3, call(woven, instance, "read", "fd 7", 3));
        assertEquals(-1, call(woven, instance, "read", "fd 7", 1), "the method's own handler caught it");
        InvocationTargetException thrown = assertThrows(InvocationTargetException.class,
                () -> call(woven, instance, "read", "fd 7", 2));
        assertTrue(thrown.getCause() instanceof IOException);
        assertEquals("connection timed out", thrown.getCause().getMessage());
        assertEquals(Collections.singletonList("failed fd 7 connection timed out"), Recorder.CALLS);
    }

    @Test
    void whatAHookThrowsNeverReachesTheApp() throws Exception {
        Class<?> woven = weave(
                Target.of(WOVEN, "connect", new Hook[] {Hook.onReturn("explode", "(" + OBJECT + ")V", argument(2))},
                        0, Integer.MAX_VALUE),
                Target.of(WOVEN, "setOption", new Hook[] {
                    Hook.onEnterReplacing(2, "explodeReplacing", "(" + STRING + OBJECT + ")" + OBJECT, argument(0), argument(2)),
                }, 0, Integer.MAX_VALUE, "java.lang.String", "double", "java.lang.Object"),
                Target.of(WOVEN, "read", new Hook[] {Hook.onThrow("explode", "(" + OBJECT + ")V", THROWN)},
                        0, Integer.MAX_VALUE));
        Object instance = woven.getConstructor().newInstance();

        assertEquals(81, call(woven, null, "connect", "inet", 7L, "peer", 80));
        assertEquals("the app's", call(woven, null, "setOption", "fd 7", 1.5, "the app's"), "the argument as it was");
        InvocationTargetException thrown = assertThrows(InvocationTargetException.class,
                () -> call(woven, instance, "read", "fd 7", 2));
        assertEquals("connection timed out", thrown.getCause().getMessage(), "the method's own exception, not the hook's");
        assertEquals(Arrays.asList("explode", "explodeReplacing", "explode"), Recorder.CALLS);
    }

    @Test
    void hooksInAClassTheLoaderCannotSeeDoNothing() throws Exception {
        byte[] woven = new HookWeaver("dev/keepaliveagent/instrument/fixture/Missing").weave(classFile(), Arrays.asList(
                Target.of(WOVEN, "connect", new Hook[] {Hook.onReturn("connected", "(" + OBJECT + ")V", argument(2))},
                        0, Integer.MAX_VALUE),
                Target.of(WOVEN, "read", new Hook[] {Hook.onThrow("failed", "(" + OBJECT + ")V", THROWN)},
                        0, Integer.MAX_VALUE)));
        Class<?> type = define(woven);

        assertEquals(81, call(type, null, "connect", "inet", 7L, "peer", 80));
        InvocationTargetException thrown = assertThrows(InvocationTargetException.class,
                () -> call(type, type.getConstructor().newInstance(), "read", "fd 7", 2));
        assertEquals("connection timed out", thrown.getCause().getMessage());
    }

    @Test
    void aConstructorsReturnHookSeesItsArgumentsAndFields() throws Exception {
        Class<?> woven = weave(Target.exactly(WOVEN, Target.CONSTRUCTOR, new Hook[] {
            Hook.onReturn("made", "(" + OBJECT + STRING + OBJECT + STRING + ")V", NULL, argument(0), argument(2),
                    field("name", STRING)),
        }, 0, Integer.MAX_VALUE, "java.lang.String", "long", "java.lang.String"));

        woven.getConstructor(String.class, long.class, String.class).newInstance("fd 7/", 5L, "/peer");
        woven.getConstructor().newInstance();
        assertEquals(Collections.singletonList("made fd 7/ /peer fd 7/5/peer"), Recorder.CALLS);
    }

    @Test
    void anEnterHookGoesBeforeAMethodWhoseFirstInstructionIsALoopsHead() throws Exception {
        Class<?> woven = weave(Target.of(WOVEN, "countDown", new Hook[] {
            Hook.onEnter("entered", "(I)V", argument(0)),
            Hook.onEnter("entered", "(I)V", argument(0)),
        }, 0, Integer.MAX_VALUE, "int"));

        assertEquals(0, call(woven, null, "countDown", 4));
        assertEquals(Arrays.asList("entered 4", "entered 4"), Recorder.CALLS);
    }

    @Test
    void aFieldValueComesFromTheSuperclassThatDeclaresIt() throws Exception {
        Class<?> woven = weave(Target.of(WOVEN, "name", new Hook[] {Hook.onReturn("named", "(" + STRING + ")V",
                field("name", STRING))}, 0, Integer.MAX_VALUE));

        assertEquals("base's field", call(woven, woven.getConstructor().newInstance(), "name"));
        assertEquals(Collections.singletonList("named base's field"), Recorder.CALLS);
    }

    @Test
    void anArgumentNotMatchedByItsTypeMustBeOfTheHooksType() {
        Target mistyped = Target.of(WOVEN, "connect", new Hook[] {Hook.onReturn("named", "(" + STRING + ")V", argument(1))},
                0, Integer.MAX_VALUE);

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> weave(mistyped));
        assertEquals("Woven.connect's argument 1 is a long, not what named takes", refused.getMessage());
    }

    @Test
    void theSameInputIsWovenIntoTheSameBytesAndTheOtherMethodsRunAsBefore() throws Exception {
        List<Target> targets = Collections.singletonList(Target.of(WOVEN, "countDown", new Hook[] {
            Hook.onEnter("entered", "(I)V", argument(0))}, 0, Integer.MAX_VALUE));
        byte[] once = new HookWeaver(RECORDER).weave(classFile(), targets);

        assertArrayEquals(once, new HookWeaver(RECORDER).weave(classFile(), targets));
        Class<?> woven = define(once);
        assertEquals("base's field", call(woven, woven.getConstructor().newInstance(), "name"));
        assertEquals(81, call(woven, null, "connect", "inet", 7L, "peer", 80));
        assertEquals(Collections.emptyList(), Recorder.CALLS);
    }

    private static Class<?> weave(Target... targets) throws Exception {
        return define(new HookWeaver(RECORDER).weave(classFile(), Arrays.asList(targets)));
    }

    private static Object call(Class<?> type, Object instance, String name, Object... arguments) throws Exception {
        for (Method method : type.getDeclaredMethods()) {
            if (method.getName().equals(name) && method.getParameterCount() == arguments.length) {
                return method.invoke(instance, arguments);
            }
        }
        throw new AssertionError(name);
    }

    private static byte[] classFile() throws IOException {
        try (InputStream in = Woven.class.getResourceAsStream("/" + WOVEN.replace('.', '/') + ".class")) {
            return JdkAccess.readAll(in);
        }
    }

    /** Defines the woven class in a loader of its own; the recorder and the superclass stay the test's. */
    private static Class<?> define(byte[] classFile) {
        return new ClassLoader(HookWeaverTest.class.getClassLoader()) {
            Class<?> woven() {
                return defineClass(WOVEN, classFile, 0, classFile.length);
            }
        }.woven();
    }
}
