package dev.keepaliveagent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Agent arguments, then -Dkeepalive.*, then KEEPALIVE_*, then the config file, then the defaults. */
class ConfigSourcesTest {

    @TempDir
    static Path temp;

    @ParameterizedTest(name = "args={0} property={1} env={2} file={3} -> idle={4} from {5}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "10  | 20 | 30 | 40 | 20  | -Dkeepalive.idle",
        "10  | -  | 30 | 40 | 30  | KEEPALIVE_IDLE",
        "10  | -  | -  | 40 | 10  | args",
        "-   | -  | -  | 40 | 40  | config file FILE line 2",
        "-   | -  | -  | -  | 120 | default",
        "10  | -  | 30 | -  | 30  | KEEPALIVE_IDLE",
        "-   | 20 | -  | 40 | 20  | -Dkeepalive.idle",
    })
    void theNearestPlaceToTheJvmThatHasASettingWins(String args, String property, String env, String file, int idle, String source)
            throws Exception {
        Path config = temp.resolve("precedence-" + args + property + env + file + ".conf");
        Files.writeString(config, "# test\n" + (file == null ? "" : "idle = " + file + "\n"));
        Map<String, String> properties = new HashMap<>();
        Map<String, String> environment = new HashMap<>();
        if (property != null) {
            properties.put("keepalive.idle", property);
        }
        if (env != null) {
            environment.put("KEEPALIVE_IDLE", env);
        }
        environment.put("KEEPALIVE_CONFIG", config.toString());
        AgentConfig loaded = AgentArguments.load(args == null ? "" : "idle=" + args, properties, environment);
        assertEquals(idle, loaded.settings().get(KeepaliveOption.IDLE));
        assertEquals(source.replace("FILE", config.toString()), loaded.sourceOf("idle"));
    }

    @Test
    void badInputFromEverySourceIsRefusedNamingTheSource() throws Exception {
        assertEquals("keepalive-agent: idle=0 is out of range (from -Dkeepalive.idle); expected seconds as 600, or with a unit"
                        + " (ms, s, m, h) as 90s, 10m, 2h, 1..32767 seconds",
                refusal("", Map.of("keepalive.idle", "0"), Map.of()));
        assertEquals("keepalive-agent: cnt=many is not a number (from KEEPALIVE_CNT); expected a whole number of probes 1..127",
                refusal("", Map.of(), Map.of("KEEPALIVE_CNT", "many")));
        Path file = temp.resolve("bad.conf");
        Files.writeString(file, "idle = 600\nintvl: 60\n");
        assertEquals(TestSettings.withOptionKeys("keepalive-agent: 'intvl: 60' (config file " + file + " line 2) is not a key = value"
                + " line; accepted keys: {options}, rules, log, logfile, logformat, logtime, cache, rule"), refusal("config=" + file, Map.of(), Map.of()));
        Files.writeString(file, "idel = 600\n");
        assertEquals(TestSettings.withOptionKeys("keepalive-agent: unknown option 'idel' (config file " + file + " line 1); accepted"
                + " keys: {options}, rules, log, logfile, logformat, logtime, cache, rule"), refusal("config=" + file, Map.of(), Map.of()));
        assertTrue(refusal("config=/no/such/file.conf", Map.of(), Map.of())
                .startsWith("keepalive-agent: config=/no/such/file.conf cannot be read (java.nio.file.NoSuchFileException"));
    }

    @Test
    void aValueANearerPlaceHidesIsOneWarningNamingBoth() throws Exception {
        AgentConfig loaded = AgentArguments.load("idle=600,intvl=60", Map.of("keepalive.idle", "30"),
                Map.of("KEEPALIVE_IDLE", "45", "KEEPALIVE_INTVL", "60"));
        assertEquals(30, loaded.settings().get(KeepaliveOption.IDLE));
        String order = "the place nearer the JVM wins (-Dkeepalive.*, then KEEPALIVE_*, then the agent arguments, then the config"
                + " file); remove one of the two and this line goes away";
        assertEquals(List.of("idle=45 (KEEPALIVE_IDLE) is overridden by idle=30 (-Dkeepalive.idle): " + order,
                "idle=600 (the agent arguments) is overridden by idle=30 (-Dkeepalive.idle): " + order), loaded.warnings(),
                "intvl=60 twice hides nothing");
    }

    @Test
    void rulesFromANearerPlaceReplaceTheFilesWholeAndSaySo() throws Exception {
        Path file = temp.resolve("fleet.conf");
        Files.writeString(file, "idle = 600\nrule = 127.0.0.0/8 => off\nrule = port=5432 => idle=30\n");
        AgentConfig loaded = AgentArguments.load("config=" + file, Map.of(), Map.of("KEEPALIVE_RULES", "port=6379=>idle=60"));
        assertEquals("KEEPALIVE_RULES", loaded.sourceOf("rules"));
        assertEquals(1, loaded.rules().size());
        assertEquals(List.of("the 2 rule(s) of config file " + file + " are replaced by rules= from KEEPALIVE_RULES: rules are"
                + " taken whole from one place, never merged (-Dkeepalive.*, then KEEPALIVE_*, then the agent arguments, then the"
                + " config file)"), loaded.warnings());
    }

    @Test
    void enabledFalseSwitchesTheAgentOffBeforeAnythingElseIsRead() throws Exception {
        assertEquals("KEEPALIVE_ENABLED", AgentArguments.switchedOffBy("idle=0,,bogus", Map.of(), Map.of("KEEPALIVE_ENABLED", "false")));
        assertEquals("-Dkeepalive.enabled", AgentArguments.switchedOffBy("idle=0", Map.of("keepalive.enabled", "FALSE"), Map.of()));
        assertEquals("the agent arguments", AgentArguments.switchedOffBy("idle=0, enabled = false", Map.of(), Map.of()));
        assertEquals(null, AgentArguments.switchedOffBy("enabled=false", Map.of("keepalive.enabled", "true"), Map.of()),
                "the nearer place wins here too");
        assertEquals(null, AgentArguments.switchedOffBy("idle=600", Map.of(), Map.of()));
        String expected = "expected true (the default) or false (the agent does nothing in this JVM: no hook, no socket option;"
                + " read before any other setting, so it switches off a broken one)";
        assertEquals("enabled=no is not accepted (from KEEPALIVE_ENABLED); " + expected, assertThrows(InvalidArgumentException.class,
                () -> AgentArguments.switchedOffBy("", Map.of(), Map.of("KEEPALIVE_ENABLED", "no"))).problem());
        assertEquals("keepalive-agent: enabled=maybe is not accepted; " + expected, refusal("enabled=maybe", Map.of(), Map.of()));
        assertEquals(TestSettings.of(120, 30, 4).get(KeepaliveOption.IDLE),
                AgentArguments.load("enabled=true", Map.of(), Map.of()).settings().get(KeepaliveOption.IDLE));
        Path file = temp.resolve("off.conf");
        Files.writeString(file, "enabled = false\n");
        assertEquals("keepalive-agent: enabled (config file " + file + " line 1) is not read from a config file, so that it switches"
                + " the agent off even where the file cannot be read: give it where the JVM starts (-Dkeepalive.enabled=false,"
                + " KEEPALIVE_ENABLED=false, or enabled=false in the agent arguments)", refusal("config=" + file, Map.of(), Map.of()));
    }

    @Test
    void namesThatMayBelongToSomeoneElseAreWarnedAboutNotRefused() throws Exception {
        AgentConfig loaded = AgentArguments.load("", Map.of("keepalive.timeout", "5"), Map.of("KEEPALIVE_TIMEOUT", "75"));
        assertEquals(2, loaded.warnings().size(), loaded.warnings()::toString);
        assertTrue(loaded.warnings().get(0).startsWith("ignored system property keepalive.timeout: not a keepalive-agent setting"));
        assertTrue(loaded.warnings().get(1).startsWith("ignored environment variable KEEPALIVE_TIMEOUT: not a keepalive-agent setting"));
    }

    @Test
    void aConfigFileHoldsSettingsAndRulesInOrder() throws Exception {
        Path file = temp.resolve("rules.conf");
        Files.writeString(file, String.join("\n", List.of(
                "# keepalive-agent",
                "idle = 10m   # ten minutes",
                "utimeout = off\t# the kernel's own",
                "rule = 127.0.0.0/8 => off  # loopback",
                "rule = db.internal port=5432 => idle=30 intvl=5 cnt=3 utimeout=20s",
                "rule = 10.0.0.0/8 => idle=60",
                "")));
        AgentConfig loaded = AgentArguments.load("config=" + file, Map.of(), Map.of());
        Rules rules = loaded.rules();
        assertEquals(null, rules.settingsFor(InetAddress.getByName("127.0.0.1"), 80, -1));
        assertEquals(TestSettings.of(30, 5, 3, 20_000),
                rules.settingsFor(InetAddress.getByAddress("db.internal", new byte[] {10, 1, 2, 3}), 5432, -1));
        assertEquals(TestSettings.of(60, 30, 4, 0),
                rules.settingsFor(InetAddress.getByAddress("db.internal", new byte[] {10, 1, 2, 3}), 5433, -1));
        assertEquals(TestSettings.of(600, 30, 4, 0), rules.settingsFor(InetAddress.getByName("192.0.2.7"), 443, -1));
        assertEquals("config file " + file, loaded.sourceOf("rules"));
    }

    private static String refusal(String args, Map<String, String> properties, Map<String, String> environment) {
        return assertThrows(InvalidArgumentException.class, () -> AgentArguments.load(args, properties, environment)).getMessage();
    }
}
