package dev.keepaliveagent.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keepaliveagent.config.AgentArguments;
import dev.keepaliveagent.observe.AgentMBean;
import dev.keepaliveagent.observe.Telemetry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shipped jmx_exporter rule for Info (deploy/prometheus) matches what the MBean says today, and still
 * does when a later version adds a word for a new option, before {@code rules=} or at the end: a rule that
 * matched by position would silently drop the settings metric. jmx_exporter matches with Java's regex, whole.
 */
class PrometheusRulesTest {

    private static final Path RULES = Paths.get(System.getProperty("keepalive.deploy", "../deploy"))
            .resolve("prometheus/jmx-exporter-rules.yaml");
    private static final String BEAN = "dev.keepaliveagent<type=KeepaliveAgent><>Info: ";

    @Test
    void theInfoRuleReadsTheSettingsByKeyAndLetsUnknownWordsThrough() throws Exception {
        Pattern rule = infoRule();
        AgentMBean mbean = new AgentMBean("0.1.0", AgentArguments.load("idle=600,intvl=60,cnt=20,utimeout=30s", Map.of(),
                Map.of()), new Telemetry(), () -> "none");
        String info = mbean.getInfo();
        assertEquals("version=0.1.0 idle=600s intvl=60s cnt=20 utimeout=30s rules=0 mesh=none", info);
        for (String later : List.of(info, info.replace(" rules=", " lowat=16384 rules="), info + " tier=gold")) {
            Matcher matcher = rule.matcher(BEAN + later);
            assertTrue(matcher.matches(), later);
            assertEquals(List.of("0.1.0", "600s", "60s", "20", "30s", "0", "none"),
                    List.of(matcher.group(1), matcher.group(2), matcher.group(3), matcher.group(4), matcher.group(5),
                            matcher.group(6), matcher.group(7)), later);
        }
    }

    /** README and docs/operations.md name the settings metric's labels: the ones the rule makes, all of them. */
    @Test
    void theDocsNameTheSettingsMetricsLabelsAsTheRuleMakesThem() throws Exception {
        List<String> labels = new java.util.ArrayList<>();
        boolean inInfoRule = false;
        boolean inLabels = false;
        for (String line : Files.readAllLines(RULES)) {
            String trimmed = line.trim();
            if (trimmed.startsWith("- pattern: ")) {
                inInfoRule = trimmed.contains("<>Info: ");
                inLabels = false;
            } else if (inInfoRule && trimmed.equals("labels:")) {
                inLabels = true;
            } else if (inLabels && trimmed.matches("[a-z_]+: \"\\$[0-9]+\"")) {
                labels.add(trimmed.substring(0, trimmed.indexOf(':')));
            }
        }
        assertEquals(List.of("version", "idle", "intvl", "cnt", "utimeout", "rules", "mesh"), labels);
        Path root = RULES.getParent().getParent().getParent();
        assertTrue(Files.readString(root.resolve("README.md")).contains("`keepalive_agent_settings{" + String.join(",", labels) + "}`"),
                "README names " + labels);
        assertTrue(Files.readString(root.resolve("docs/operations.md")).contains("| `keepalive_agent_settings` | gauge, always 1 | "
                + ("`" + String.join("`, `", labels) + "`").replace("`rules`", "`rules` (how many)") + " | `Info` |"), "docs/operations.md names " + labels);
    }

    private static Pattern infoRule() throws Exception {
        for (String line : Files.readAllLines(RULES)) {
            String trimmed = line.trim();
            if (trimmed.startsWith("- pattern: '" + BEAN.substring(0, BEAN.length() - 2))) {
                return Pattern.compile(trimmed.substring("- pattern: '".length(), trimmed.length() - 1));
            }
        }
        throw new AssertionError("no Info rule in " + RULES);
    }
}
