package dev.keepaliveagent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgentArgumentsTest {

    @ParameterizedTest(name = "''{0}'' -> idle={1} intvl={2} cnt={3} log={4}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "NULL                          | 120   | 30 | 4   | INFO",
        "''                            | 120   | 30 | 4   | INFO",
        "idle=600,intvl=60,cnt=20      | 600   | 60 | 20  | INFO",
        "idle=90s                      | 90    | 30 | 4   | INFO",
        "idle=10m,intvl=1m             | 600   | 60 | 4   | INFO",
        "idle=2h                       | 7200  | 30 | 4   | INFO",
        "idle=9h,intvl=5s              | 32400 | 5  | 4   | INFO",
        "idle=600000ms,intvl=1000ms    | 600   | 1  | 4   | INFO",
        "idle=32767,intvl=32767,cnt=127| 32767 | 32767 | 127 | INFO",
        "idle=1,intvl=1,cnt=1          | 1     | 1  | 1   | INFO",
        "cnt=9,                        | 120   | 30 | 9   | INFO",
        "' idle = 600 , cnt=3 '        | 600   | 30 | 3   | INFO",
        "log=debug                     | 120   | 30 | 4   | DEBUG",
        "log=OFF                       | 120   | 30 | 4   | OFF",
        "log=warn,idle=007             | 7     | 30 | 4   | WARN",
    })
    void acceptsGoodArguments(String arguments, int idle, int intvl, int cnt, LogLevel log) throws Exception {
        AgentConfig config = load(arguments);
        long auto = (idle + (long) intvl * cnt) * 1000;
        assertEquals(TestSettings.of(idle, intvl, cnt, auto <= 924_600 ? (int) auto : 0), config.settings());
        assertEquals(log, config.logLevel());
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource(delimiter = '|', value = {
        "idle=0                 | keepalive-agent: idle=0 is out of range; expected seconds as 600, or with a unit (ms, s, m, h) as 90s, 10m, 2h, 1..32767 seconds",
        "idle=32768             | keepalive-agent: idle=32768 is out of range; expected seconds as 600, or with a unit (ms, s, m, h) as 90s, 10m, 2h, 1..32767 seconds",
        "idle=10h               | keepalive-agent: idle=10h is out of range; expected seconds as 600, or with a unit (ms, s, m, h) as 90s, 10m, 2h, 1..32767 seconds",
        "idle=99999999999999999999 | keepalive-agent: idle=99999999999999999999 is out of range; expected seconds as 600, or with a unit (ms, s, m, h) as 90s, 10m, 2h, 1..32767 seconds",
        "intvl=0                | keepalive-agent: intvl=0 is out of range; expected seconds as 600, or with a unit (ms, s, m, h) as 90s, 10m, 2h, 1..32767 seconds",
        "intvl=-5               | keepalive-agent: intvl=-5 is not a duration; expected seconds as 600, or with a unit (ms, s, m, h) as 90s, 10m, 2h, 1..32767 seconds",
        "idle=abc               | keepalive-agent: idle=abc is not a duration; expected seconds as 600, or with a unit (ms, s, m, h) as 90s, 10m, 2h, 1..32767 seconds",
        "idle=1.5m              | keepalive-agent: idle=1.5m is not a duration; expected seconds as 600, or with a unit (ms, s, m, h) as 90s, 10m, 2h, 1..32767 seconds",
        "idle=10d               | keepalive-agent: idle=10d has an unknown unit 'd'; expected seconds as 600, or with a unit (ms, s, m, h) as 90s, 10m, 2h, 1..32767 seconds",
        "idle=10M               | keepalive-agent: idle=10M has an unknown unit 'M': units are lower case (10m); expected seconds as 600, or with a unit (ms, s, m, h) as 90s, 10m, 2h, 1..32767 seconds",
        "intvl=5S               | keepalive-agent: intvl=5S has an unknown unit 'S': units are lower case (5s); expected seconds as 600, or with a unit (ms, s, m, h) as 90s, 10m, 2h, 1..32767 seconds",
        "idle=1500ms            | keepalive-agent: idle=1500ms is not whole seconds (TCP_KEEPIDLE is set in seconds); expected seconds as 600, or with a unit (ms, s, m, h) as 90s, 10m, 2h, 1..32767 seconds",
        "idle=s                 | keepalive-agent: idle=s is not a duration; expected seconds as 600, or with a unit (ms, s, m, h) as 90s, 10m, 2h, 1..32767 seconds",
        "cnt=0                  | keepalive-agent: cnt=0 is out of range; expected a whole number of probes 1..127",
        "cnt=128                | keepalive-agent: cnt=128 is out of range; expected a whole number of probes 1..127",
        "cnt=5s                 | keepalive-agent: cnt=5s is not a number; expected a whole number of probes 1..127",
        "idle=                  | keepalive-agent: idle= has no value; expected seconds as 600, or with a unit (ms, s, m, h) as 90s, 10m, 2h, 1..32767 seconds",
        "log=verbose            | keepalive-agent: log=verbose is not accepted; expected one of off, error, warn, info, debug",
        "logfile=               | keepalive-agent: logfile= has no value; expected a file path",
        "logformat=yaml         | keepalive-agent: logformat=yaml is not accepted; expected text (one plain line each, the default) or json (one JSON object per line)",
        "cache=                 | keepalive-agent: cache= has no value; expected a directory path, or off",
        "idle                   | keepalive-agent: 'idle' is not a key=value pair (loaded by jcmd JVMTI.agent_load? jcmd drops '=' and what follows it: load with java -jar keepalive-agent.jar attach PID idle=VALUE); write options as key=value separated by commas, e.g. idle=600,intvl=60,cnt=20 (accepted keys: {options}, enabled, rules, log, logfile, logformat, logtime, cache, config)",
        "idle=600;intvl=60      | keepalive-agent: idle=600;intvl=60 is not a duration; expected seconds as 600, or with a unit (ms, s, m, h) as 90s, 10m, 2h, 1..32767 seconds",
        "time=600               | keepalive-agent: unknown option 'time' in 'time=600'; accepted keys: {options}, enabled, rules, log, logfile, logformat, logtime, cache, config",
        "=600                   | keepalive-agent: unknown option '' in '=600'; accepted keys: {options}, enabled, rules, log, logfile, logformat, logtime, cache, config",
        "IDLE=600               | keepalive-agent: unknown option 'IDLE' in 'IDLE=600'; accepted keys: {options}, enabled, rules, log, logfile, logformat, logtime, cache, config",
        "idle=600,idle=300      | keepalive-agent: idle is given twice (idle=600 and idle=300); give each option once",
    })
    void refusesBadArgumentsWithOneClearLine(String arguments, String message) {
        InvalidArgumentException refusal = assertThrows(InvalidArgumentException.class, () -> AgentArguments.parse(arguments));
        assertEquals(TestSettings.withOptionKeys(message), refusal.getMessage());
    }

    @Test
    void controlCharactersAreShownEscapedSoTheRefusalStaysOneLine() {
        InvalidArgumentException refusal = assertThrows(InvalidArgumentException.class,
                () -> AgentArguments.parse("idle=6\n00"));
        assertTrue(refusal.getMessage().contains("idle=6\\x0a00"), refusal.getMessage());
        assertTrue(refusal.getMessage().lines().count() == 1, refusal.getMessage());
    }

    @Test
    void theLogIsPlainTextUnlessJsonIsAskedFor() throws Exception {
        assertEquals(LogFormat.TEXT, AgentArguments.parse(null).logFormat());
        assertEquals(LogFormat.JSON, AgentArguments.parse("logformat=json").logFormat());
        assertEquals(LogFormat.JSON, AgentArguments.parse("logformat=JSON").logFormat());
        assertEquals(LogFormat.TEXT, AgentArguments.parse("logformat=text").logFormat());
    }

    @Test
    void theCacheCanBeMovedOrSwitchedOff() throws Exception {
        assertTrue(AgentArguments.parse("").cacheEnabled());
        assertEquals(java.util.Optional.empty(), AgentArguments.parse("").cacheDirectory());
        assertEquals(java.util.Optional.of("/var/cache/ka"), AgentArguments.parse("cache=/var/cache/ka").cacheDirectory());
        assertEquals(false, AgentArguments.parse("cache=off").cacheEnabled());
    }

    @Test
    void startUpLineNamesWhereEachSettingCameFrom() throws Exception {
        assertEquals("idle=600s (args) intvl=30s (default) cnt=4 (default) utimeout=720s (default)"
                + " -> a dead idle peer is found within 720s, with data in flight within 720s",
                AgentArguments.parse("idle=10m").toString());
    }

    @Test
    void autoLongerThanTheKernelsOwnLimitLeavesTheKernelsLimitAndSaysSo() throws Exception {
        assertEquals("idle=600s (args) intvl=60s (args) cnt=20 (args) utimeout=off (default: auto, as idle + intvl × cnt is"
                + " longer than the kernel's own limit) -> a dead idle peer is found within 1800s, with data in flight"
                + " within 924.6s (tcp_retries2=15), the kernel's own limit", load("idle=600,intvl=60,cnt=20").toString());
        assertEquals("idle=600s (args) intvl=60s (args) cnt=20 (args) utimeout=off (args) -> a dead idle peer is found"
                + " within 1800s, with data in flight within 924.6s (tcp_retries2=15), the kernel's own limit",
                load("idle=600,intvl=60,cnt=20,utimeout=off").toString());
    }

    @Test
    void aUserTimeoutShorterThanTheProbesEndsThemEarlierAndTheLineSaysWhen() throws Exception {
        assertEquals("idle=120s (default) intvl=30s (default) cnt=4 (default) utimeout=30s (args) -> a dead idle peer is found"
                + " within 150s, with data in flight within 30s", load("utimeout=30s").toString());
    }

    /** Off Linux TCP_USER_TIMEOUT is not set: the line says so, and gives keepalive's own bound (cnt counts again). */
    @org.junit.jupiter.api.Test
    void whereTheUserTimeoutCannotBeSetTheLineGivesTheBoundsWithoutIt() throws Exception {
        assertEquals("idle=120s (default) intvl=30s (default) cnt=4 (default) utimeout=30s (args; not applied here) -> a dead"
                + " idle peer is found within 240s, with data in flight within the kernel's own retransmission limit",
                load("utimeout=30s").describe(java.util.Set.of(KeepaliveOption.UTIMEOUT)));
    }

    @ParameterizedTest(name = "utimeout={0}")
    @CsvSource(delimiter = '|', value = {
        "30      | keepalive-agent: utimeout=30 has no unit (a bare number was once read as milliseconds, so it is refused, not guessed): write utimeout=30s for seconds, utimeout=30ms for milliseconds; expected a duration with its unit (ms, s, m, h) as 30s, 2m, 1500ms, 1s..2147483647ms, or auto (idle + intvl × cnt, within the kernel's own limit), or off",
        "500ms   | keepalive-agent: utimeout=500ms is out of range; expected a duration with its unit (ms, s, m, h) as 30s, 2m, 1500ms, 1s..2147483647ms, or auto (idle + intvl × cnt, within the kernel's own limit), or off",
        "10M     | keepalive-agent: utimeout=10M has an unknown unit 'M': units are lower case (10m); expected a duration with its unit (ms, s, m, h) as 30s, 2m, 1500ms, 1s..2147483647ms, or auto (idle + intvl × cnt, within the kernel's own limit), or off",
    })
    void aUserTimeoutWithoutItsUnitOrUnderASecondIsRefused(String value, String message) {
        assertEquals(message, assertThrows(InvalidArgumentException.class, () -> load("utimeout=" + value)).getMessage());
    }

    @ParameterizedTest(name = "utimeout={0}")
    @CsvSource(delimiter = '|', value = {
        "30s    | 30000",
        "1500ms | 1500",
        "2m     | 120000",
        "924s   | 924000",
    })
    void aUserTimeoutWithItsUnitIsTakenWithoutAWord(String value, int millis) throws Exception {
        AgentConfig config = load("utimeout=" + value);
        assertEquals(millis, config.settings().get(KeepaliveOption.UTIMEOUT));
        assertEquals(java.util.List.of(), config.warnings());
    }

    @Test
    void aUserTimeoutLongerThanTheKernelsOwnLimitIsWarnedAboutWithTheFigures() throws Exception {
        String tail = " gives up on data in flight after 7200s, later than the kernel by itself here, after 924.6s"
                + " (tcp_retries2=15): with data in flight a dead peer would be found later than with no"
                + " agent at all; give at most 924s, or auto";
        assertEquals(java.util.List.of("utimeout=2h" + tail), load("utimeout=2h").warnings());
        AgentConfig ruled = AgentArguments.load("", Map.of(), Map.of("KEEPALIVE_RULES", "port=1 => utimeout=2h"),
                RetransmissionLimit.of(15));
        assertEquals(java.util.List.of("utimeout=2h (from KEEPALIVE_RULES)" + tail), ruled.warnings());
    }

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource(delimiter = '|', value = {
        "''                         | false",
        "logfile=/tmp/a.log         | true",
        "logfile=/tmp/a.log,logtime=off | false",
        "logtime=on                 | true",
        "logtime=OFF                | false",
    })
    void textLinesCarryTheirTimeInALogFileByDefault(String arguments, boolean stamped) throws Exception {
        assertEquals(stamped, load(arguments).logTimestamps());
    }

    @org.junit.jupiter.api.Test
    void logtimeIsOnOrOff() {
        assertEquals("keepalive-agent: logtime=yes is not accepted; expected on (each text line starts with its time; the"
                + " default with logfile=) or off (the default on standard error)",
                assertThrows(InvalidArgumentException.class, () -> load("logtime=yes")).getMessage());
    }

    private static AgentConfig load(String arguments) throws InvalidArgumentException {
        return AgentArguments.load(arguments, Map.of(), Map.of(), RetransmissionLimit.of(15));
    }
}
