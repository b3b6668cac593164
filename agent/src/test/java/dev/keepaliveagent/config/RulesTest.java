package dev.keepaliveagent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Rules per destination, in the compact form of the agent argument: first match wins. */
class RulesTest {

    private static final String RULES = "idle=600,intvl=60,cnt=20,utimeout=off,rules="
            + "127.0.0.0/8 => off;"
            + "::1 => off;"
            + "10.1.0.0/16+port=5432 => idle=30/intvl=5/cnt=3/utimeout=20s;"
            + "fd00::/8 => idle=45;"
            + "*.partner.example => idle=300/cnt=10/utimeout=auto;"
            + "listen=8443 => idle=90;"
            + "port=6379 => cnt=2";

    @ParameterizedTest(name = "{0} port {1} listen {2} -> {3}")
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1                     | 8080 | -1   | off",
        "::ffff:127.0.0.5              | 8080 | -1   | off",
        "::1                           | 8080 | -1   | off",
        "10.1.200.3                    | 5432 | -1   | idle=30s intvl=5s cnt=3 utimeout=20s",
        "10.1.200.3                    | 5433 | -1   | idle=600s intvl=60s cnt=20",
        "10.2.0.1                      | 5432 | -1   | idle=600s intvl=60s cnt=20",
        "fd12:3456::1                  | 443  | -1   | idle=45s intvl=60s cnt=20",
        "fe80::1                       | 443  | -1   | idle=600s intvl=60s cnt=20",
        "api.partner.example/192.0.2.9 | 443  | -1   | idle=300s intvl=60s cnt=10 utimeout=900s",
        "partner.example/192.0.2.9     | 443  | -1   | idle=600s intvl=60s cnt=20",
        "192.0.2.10                    | -1   | 8443 | idle=90s intvl=60s cnt=20",
        "192.0.2.10                    | -1   | 8444 | idle=600s intvl=60s cnt=20",
        "192.0.2.10                    | 6379 | -1   | idle=600s intvl=60s cnt=2",
    })
    void theFirstMatchingRuleDecides(String remote, int port, int listen, String expected) throws Exception {
        Settings settings = parse(RULES).rules().settingsFor(address(remote), port, listen);
        assertEquals(expected, settings == null ? "off" : settings.toString());
    }

    /** Ranges whose prefix ends inside a byte, at the edges of the range and of the accepted values. */
    @ParameterizedTest(name = "{0} contains {1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "172.16.0.0/12      | 172.16.0.0          | true",
        "172.16.0.0/12      | 172.31.255.255      | true",
        "172.16.0.0/12      | 172.32.0.0          | false",
        "172.16.0.0/12      | 172.15.255.255      | false",
        "192.0.2.128/25     | 192.0.2.200         | true",
        "192.0.2.128/25     | 192.0.2.127         | false",
        "10.0.0.7/32        | 10.0.0.7            | true",
        "10.0.0.7/32        | 10.0.0.6            | false",
        "10.0.0.7           | 10.0.0.7            | true",
        "10.0.0.7           | 10.0.0.8            | false",
        "0.0.0.0/0          | 203.0.113.9         | true",
        "0.0.0.0/0          | 2001:db8::1         | false",
        "fc00::/7           | fdff::1             | true",
        "fc00::/7           | fe00::1             | false",
        "::ffff:10.0.0.0/8  | 10.9.9.9            | true",
        "10.0.0.0/8         | ::ffff:10.9.9.9     | true",
        "::/96              | ::10.9.9.9          | true",
        "::/96              | 10.9.9.9            | false",
        "::1/128            | ::1                 | true",
        "::1/128            | 0.0.0.1             | false",
        "port=1             | 192.0.2.1           | true",
        "port=65535         | 192.0.2.1           | true",
    })
    void rangesMatchExactlyTheirAddresses(String condition, String remote, boolean matches) throws Exception {
        int port = condition.startsWith("port=") ? Integer.parseInt(condition.substring(5)) : 443;
        Settings settings = AgentArguments.parse("idle=600,rules=" + condition + " => idle=30")
                .rules().settingsFor(InetAddress.getByName(remote), port, -1);
        assertEquals(matches ? 30 : 600, settings.get(KeepaliveOption.IDLE));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "rules=port=0 => off           | keepalive-agent: 'port=0' in rule 'port=0 => off' is not a port; expected 1..65535",
        "rules=listen=65536 => off     | keepalive-agent: 'listen=65536' in rule 'listen=65536 => off' is not a port; expected 1..65535",
        "rules=fd00::/129 => off       | keepalive-agent: 'fd00::/129' in rule 'fd00::/129 => off' has a bad prefix length; expected /0../128",
        "rules=10.0.0.0/8 idle=30      | keepalive-agent: no '=>' in rule '10.0.0.0/8 idle=30'; write a rule as CONDITIONS => SETTINGS or off, e.g. 10.0.0.0/8+port=5432 => idle=30/intvl=5/cnt=3, or 127.0.0.0/8 => off",
        "rules=10.0.0.0/33 => off      | keepalive-agent: '10.0.0.0/33' in rule '10.0.0.0/33 => off' has a bad prefix length; expected /0../32",
        "rules=300.1.1.1 => off        | keepalive-agent: '300.1.1.1' in rule '300.1.1.1 => off' is not an IP address",
        "rules=port=70000 => off       | keepalive-agent: 'port=70000' in rule 'port=70000 => off' is not a port; expected 1..65535",
        "rules=10.0.0.0/8 => idle=0    | keepalive-agent: idle=0 is out of range; expected seconds as 600, or with a unit (ms, s, m, h) as 90s, 10m, 2h, 1..32767 seconds",
        "rules=10.0.0.0/8 => speed=9   | keepalive-agent: unknown setting 'speed' in rule '10.0.0.0/8 => speed=9'; a rule accepts off, or {options}",
        "rules= => off                 | keepalive-agent: no condition in rule '=> off'; expected an address, a CIDR range, a host name, port=N or listen=N before '=>'",
        "utimeout=0s                   | keepalive-agent: utimeout=0s is out of range; expected a duration with its unit (ms, s, m, h) as 30s, 2m, 1500ms, 1s..2147483647ms, or auto (idle + intvl × cnt, within the kernel's own limit), or off",
        "utimeout=soon                 | keepalive-agent: utimeout=soon is not a duration; expected a duration with its unit (ms, s, m, h) as 30s, 2m, 1500ms, 1s..2147483647ms, or auto (idle + intvl × cnt, within the kernel's own limit), or off",
    })
    void badRulesAreRefusedClearly(String arguments, String message) {
        assertEquals(TestSettings.withOptionKeys(message),
                assertThrows(InvalidArgumentException.class, () -> parse(arguments)).getMessage());
    }

    @ParameterizedTest(name = "utimeout={0} -> {1} ms")
    @CsvSource({"auto, 900000", "off, 0", "1500ms, 1500", "30s, 30000", "2m, 120000", "1h, 3600000"})
    void userTimeouts(String value, int millis) throws Exception {
        assertEquals(millis, parse("idle=600,intvl=60,cnt=5,utimeout=" + value).settings().get(KeepaliveOption.UTIMEOUT));
    }

    /** What doctor asks of a connection it sees by its addresses: which rule, if any, leaves it alone. */
    @org.junit.jupiter.api.Test
    void theOffRuleThatMatchesIsNamedAndThoseByNameAreListed() throws Exception {
        Rules rules = parse("rules=127.0.0.0/8 => off;db.internal => off;listen=8443 => off;port=5432 => idle=30").rules();
        assertEquals("127.0.0.0/8 => off", rules.offRuleFor(InetAddress.getByName("127.0.0.1"), 80, -1));
        assertEquals("listen=8443 => off", rules.offRuleFor(InetAddress.getByName("10.0.0.1"), -1, 8443));
        assertEquals(null, rules.offRuleFor(InetAddress.getByName("10.0.0.1"), 5432, -1), "an on rule matched first");
        assertEquals(null, rules.offRuleFor(InetAddress.getByName("10.0.0.1"), 80, -1), "the global settings");
        assertEquals(java.util.List.of("db.internal => off"), rules.offRulesByName());
        Rules scraped = rules.leavingAloneAcceptedOn(java.util.Set.of(9404));
        assertEquals("listen=9404 => off", scraped.offRuleFor(InetAddress.getByName("10.0.0.1"), -1, 9404), "before the app's own");
        assertEquals(null, scraped.settingsFor(InetAddress.getByName("10.0.0.1"), -1, 9404));
        assertEquals(rules.settingsFor(InetAddress.getByName("10.0.0.1"), 5432, -1), scraped.settingsFor(InetAddress.getByName("10.0.0.1"), 5432, -1));
    }

    /** docs/configuration.md's and the Kubernetes ConfigMap's loopback rule: a list of addresses is a list of alternatives. */
    @ParameterizedTest(name = "{0} port {1} listen {2} -> {3}")
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1        | 6379 | -1   | off",
        "::1              | 6379 | -1   | off",
        "127.0.0.1        | -1   | 8080 | off",
        "10.0.0.1         | 6379 | -1   | idle=600s intvl=60s cnt=20",
        "10.1.0.9         | 5432 | -1   | idle=30s intvl=60s cnt=20",
        "192.168.3.3      | 5433 | -1   | idle=30s intvl=60s cnt=20",
        "192.168.3.3      | 5434 | -1   | idle=600s intvl=60s cnt=20",
        "172.16.0.1       | 5432 | -1   | idle=600s intvl=60s cnt=20",
        "db.internal/10.9.9.9 | 5432 | -1 | idle=30s intvl=60s cnt=20",
    })
    void conditionsOfOneKindAreAlternativesOfDifferentKindsAllMustHold(String remote, int port, int listen, String expected)
            throws Exception {
        Rules rules = parse("idle=600,intvl=60,cnt=20,utimeout=off,rules=127.0.0.0/8 ::1 => off;"
                + "10.1.0.0/16 192.168.0.0/16 db.internal port=5432 port=5433 => idle=30").rules();
        Settings settings = rules.settingsFor(address(remote), port, listen);
        assertEquals(expected, settings == null ? "off" : settings.toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "port=5432 listen=8443 => off | keepalive-agent: the conditions in rule 'port=5432 listen=8443 => off' can never hold"
                + " together: port=N is the remote port of connections the app makes, listen=N the local port of those it"
                + " accepts; write two rules",
        "db.internal listen=8443 => idle=30 | keepalive-agent: the conditions in rule 'db.internal listen=8443 => idle=30' can"
                + " never hold together: a connection the app accepts (listen=N) has a peer address, never a host name; give"
                + " the peers' addresses or ranges",
    })
    void aRuleThatCanNeverMatchIsRefusedWithTheReason(String rule, String refusal) {
        assertEquals(refusal, assertThrows(InvalidArgumentException.class, () -> parse("rules=" + rule)).getMessage());
    }

    @org.junit.jupiter.api.Test
    void aHostNameBesideAnAddressStillLetsAcceptedConnectionsMatchByAddress() throws Exception {
        Rules rules = parse("rules=db.internal 10.0.0.0/8 listen=8443 => idle=30").rules();
        assertEquals(30, rules.settingsFor(address("10.2.3.4"), -1, 8443).get(KeepaliveOption.IDLE));
    }

    /** README's issue: rules=10.0.0.0/8=>idle=5,intvl=2 made intvl=2 global without a word. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "rules=10.0.0.0/8=>idle=5,intvl=2 | intvl=2 follows rules= in the agent arguments, so it is a global setting, not the"
                + " last rule's ('10.0.0.0/8=>idle=5'): within a rule, settings are separated by '/' (10.0.0.0/8=>idle=5/intvl=2);"
                + " give global settings before rules= and this line goes away",
        "intvl=2,rules=10.0.0.0/8=>idle=5 | ",
        "rules=10.0.0.0/8=>off,intvl=2    | ",
        "rules=10.0.0.0/8=>idle=5,log=warn| ",
    })
    void aSettingAfterRulesIsGlobalAndSaysSoWhereItMayHaveBeenMeantForTheRule(String arguments, String warning)
            throws Exception {
        assertEquals(warning == null ? java.util.List.of() : java.util.List.of(warning), parse(arguments).warnings());
        assertEquals(2, parse(arguments.contains("intvl") ? arguments : arguments + ",intvl=2").settings().get(KeepaliveOption.INTVL));
    }

    /** README's own example, 600 + 60 × 20 = 1800 s, would give data in flight twice the kernel's 924.6 s. */
    @ParameterizedTest(name = "tcp_retries2={0}: auto for idle=600,intvl=60,cnt={1} -> {2} ms")
    @CsvSource({"15, 5, 900000", "15, 20, 0", "8, 1, 0", "20, 15, 1500000", "20, 20, 0"})
    void autoIsNeverLongerThanTheKernelsOwnRetransmissions(int retries, int count, int millis) throws Exception {
        String arguments = "idle=600,intvl=60,cnt=" + count;
        assertEquals(millis, load(arguments, retries).settings().get(KeepaliveOption.UTIMEOUT));
        assertEquals(millis, load(arguments + ",rules=port=1 => idle=600", retries).rules()
                .settingsFor(InetAddress.getByName("192.0.2.1"), 1, -1).get(KeepaliveOption.UTIMEOUT));
    }

    private static AgentConfig parse(String arguments) throws InvalidArgumentException {
        return load(arguments, RetransmissionLimit.DEFAULT_RETRIES);
    }

    private static AgentConfig load(String arguments, int retries) throws InvalidArgumentException {
        return AgentArguments.load(arguments, java.util.Map.of(), java.util.Map.of(), RetransmissionLimit.of(retries));
    }

    /** "name/1.2.3.4" makes an address that carries the name it was made from, without DNS. */
    private static InetAddress address(String text) throws Exception {
        int slash = text.indexOf('/');
        return slash < 0 ? InetAddress.getByName(text)
                : InetAddress.getByAddress(text.substring(0, slash), InetAddress.getByName(text.substring(slash + 1)).getAddress());
    }
}
