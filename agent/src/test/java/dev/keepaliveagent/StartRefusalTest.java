package dev.keepaliveagent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;

/** The class that stands in for a refused JVM's main class is one the JVM defines and the launcher runs. */
class StartRefusalTest {

    @Test
    void theStandInIsAValidClassOfTheMainClasssNameWithAPublicStaticMain() throws Exception {
        byte[] bytes = StartRefusal.haltingMainClass("com/example/shop/Main");
        Class<?> standIn = new ClassLoader(null) {
            Class<?> define() {
                return defineClass("com.example.shop.Main", bytes, 0, bytes.length);
            }
        }.define();
        assertEquals("com.example.shop.Main", standIn.getName());
        assertTrue(Modifier.isPublic(standIn.getModifiers()));
        Method main = standIn.getMethod("main", String[].class);
        assertTrue(Modifier.isStatic(main.getModifiers()) && main.getReturnType() == void.class, main::toString);
        assertEquals(1, standIn.getDeclaredMethods().length, "main alone: nothing of the app's");
        assertEquals(0, standIn.getDeclaredFields().length);
        // Not called: it halts the JVM. The forked-JVM tests (AgentBehaviourIT) see it do so on JDK 26 and later.
    }
}
