package dev.keepaliveagent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Settings: an app's own keepalive values stand only where they are stricter than the agent's; the bounds. */
class SettingsTest {

    private static final Settings LIMIT = TestSettings.of(600, 60, 20, 1_800_000);

    @ParameterizedTest(name = "app chose {0}/{1}/{2}/{3} -> {4}")
    @CsvSource(delimiter = '|', value = {
        "30   | 5   | 3  | 20000   | idle=30s intvl=5s cnt=3 utimeout=20s",
        "599  | 59  | 19 | 1799999 | idle=599s intvl=59s cnt=19 utimeout=1799999ms",
        "601  | 61  | 21 | 1800001 | idle=600s intvl=60s cnt=20 utimeout=1800s",
        "7200 | 75  | 9  | 0       | idle=600s intvl=60s cnt=9 utimeout=1800s",
        "1    | 1   | 1  | 1       | idle=1s intvl=1s cnt=1 utimeout=1ms",
    })
    void eachValueTheAppChoseStandsWhereItIsStricter(int idle, int interval, int count, int userTimeout, String result) {
        assertEquals(result, LIMIT.withStricter(chosen(idle, interval, count, userTimeout)::get).toString());
    }

    @ParameterizedTest(name = "app chose {0} everywhere: the limit stands as it is")
    @CsvSource({"0", "-1", "600"})
    void noChoiceOrAnEqualOneChangesNothing(int chosen) {
        assertSame(LIMIT, LIMIT.withStricter(chosen(chosen, chosen == 600 ? 60 : chosen, chosen == 600 ? 20 : chosen,
                chosen == 600 ? 1_800_000 : chosen)::get));
    }

    private static Chosen chosen(int idle, int interval, int count, int userTimeout) {
        return new Chosen(idle, interval, count, userTimeout);
    }

    /** The values an app chose, by option; none for an option not among these four. */
    private static final class Chosen {
        private final java.util.Map<KeepaliveOption, Integer> values = new java.util.HashMap<>();

        Chosen(int idle, int interval, int count, int userTimeout) {
            values.put(KeepaliveOption.IDLE, idle);
            values.put(KeepaliveOption.INTVL, interval);
            values.put(KeepaliveOption.CNT, count);
            values.put(KeepaliveOption.UTIMEOUT, userTimeout);
        }

        int get(KeepaliveOption option) {
            return values.getOrDefault(option, 0);
        }
    }

    @Test
    void theBoundIsIdlePlusIntervalTimesCount() {
        assertEquals(1800, LIMIT.deadPeerBoundSeconds());
        assertEquals(32767 + 32767L * 127, TestSettings.of(32767, 32767, 127).deadPeerBoundSeconds());
    }

    /** With TCP_USER_TIMEOUT the kernel ignores cnt: it gives up at the first probe's turn past utimeout, after one probe at least. */
    @ParameterizedTest(name = "idle={0} intvl={1} cnt={2} utimeout={3} ms -> {4} s")
    @CsvSource({
        "120, 30, 4, 240000, 240",
        "120, 30, 4, 30000,  150",
        "120, 30, 4, 150000, 150",
        "120, 30, 4, 150001, 180",
        "120, 30, 4, 600000, 600",
        "3,   1,  3, 3000,   4",
    })
    void aUserTimeoutDecidesTheIdleBoundInsteadOfTheCount(int idle, int interval, int count, int userTimeout, long bound) {
        assertEquals(bound, TestSettings.of(idle, interval, count, userTimeout).deadPeerBoundSeconds());
    }

    @Test
    void equalSettingsAreEqualWithEqualHashes() {
        Settings same = TestSettings.of(600, 60, 20, 1_800_000);
        assertEquals(LIMIT, same);
        assertEquals(LIMIT.hashCode(), same.hashCode());
        assertEquals(false, LIMIT.equals(TestSettings.of(600, 60, 20, 0)));
        assertEquals(false, LIMIT.equals(TestSettings.of(600, 60, 19, 1_800_000)));
    }
}
