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

    @Test
    void theRefusalIsALineOfTheAgentsLogInTheChosenFormat() {
        assertEquals("[keepalive-agent] ERROR: idle=0 is out of range (the app was not started)",
                StartRefusal.line("idle=0 is out of range", dev.keepaliveagent.config.LogFormat.TEXT, true));
        assertEquals("[keepalive-agent] ERROR: idle=0 is out of range (the agent was not loaded; the app runs on unchanged)",
                StartRefusal.line("idle=0 is out of range", dev.keepaliveagent.config.LogFormat.TEXT, false));
        String json = StartRefusal.line("idle=\"0\"", dev.keepaliveagent.config.LogFormat.JSON, true);
        assertTrue(json.matches("\\{\"time\":\"[^\"]+\",\"level\":\"ERROR\",\"logger\":\"keepalive-agent\","
                + "\"message\":\"idle=\\\\\"0\\\\\" \\(the app was not started\\)\",\"event\":\"keepalive.BadArgument\"}"), json);
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} / {1} / {2} -> {3}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "logformat=json,idle=0 |      |      | JSON",
        "idle=0,logformat=JSON |      |      | JSON",
        "idle=0                | json |      | JSON",
        "idle=0                |      | json | JSON",
        "logformat=text        | json | json | JSON",
        "logformat=json        | text | json | TEXT",
        "logformat=json        |      | text | TEXT",
        "logformat=yaml        |      |      | TEXT",
        "                      |      |      | TEXT",
    })
    void theRefusalsFormatIsTakenFromTheSourcesInTheirOrderWithoutRefusingAnything(String arguments, String property,
            String variable, dev.keepaliveagent.config.LogFormat format) {
        assertEquals(format, dev.keepaliveagent.config.AgentArguments.logFormatForRefusal(arguments,
                property == null ? java.util.Map.of() : java.util.Map.of("keepalive.logformat", property),
                variable == null ? java.util.Map.of() : java.util.Map.of("KEEPALIVE_LOGFORMAT", variable)));
    }
}
