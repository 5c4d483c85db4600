package io.streampatterns.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The sample Prometheus rules ({@code sample/prometheus/rules.yml}, issue 17) and the {@code /metrics} text: parsed
 * here always; checked with {@code promtool} (Debian's prometheus package, {@code scripts/ensure-promtool.sh}) where the
 * machine has it, which CI must.
 */
class PrometheusRulesTest {
    static final String RULES = "sample/prometheus/rules.yml";

    @TempDir
    Path tmp;

    @Test
    void sampleRulesAlertOnADownQueryAndOnFiveMinutesWithoutProgressOverMetricsTheDashboardExposes() throws IOException {
        JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(rules()).path("groups").get(0).path("rules");
        assertEquals(3, rules.size());
        assertEquals("streampatterns_query_up == 0", rules.get(0).path("expr").asText());
        assertEquals("time() - streampatterns_query_last_progress_timestamp_seconds > 300", rules.get(1).path("expr").asText());
        assertEquals("streampatterns_query_warning == 1", rules.get(2).path("expr").asText());
        Set<String> exposed = families(Prometheus.exposition(sampleQueries()));
        for (JsonNode rule : rules) {
            assertTrue(rule.path("alert").asText().matches("[A-Z][A-Za-z]+"), rule.toString());
            assertTrue(rule.path("labels").has("severity"), rule.toString());
            assertTrue(rule.path("annotations").path("summary").asText().contains("{{ $labels.query }}"), rule.toString());
            Matcher m = Pattern.compile("streampatterns_\\w+").matcher(rule.path("expr").asText());
            while (m.find()) {
                assertTrue(exposed.contains(m.group()), m.group() + " is not exposed: " + exposed);
            }
        }
    }

    @Test
    void promtoolAcceptsTheRulesTheirUnitTestAndTheMetricsText() throws Exception {
        Path promtool = promtool();
        Path rules = tmp.resolve("rules.yml");
        Files.writeString(rules, rules());
        assertPromtool(promtool, null, "check", "rules", rules.toString());

        Path test = tmp.resolve("rules-test.yml");
        Files.writeString(test, ruleTest(rules));
        assertPromtool(promtool, null, "test", "rules", test.toString());

        assertPromtool(promtool, Prometheus.exposition(sampleQueries()), "check", "metrics");
    }

    /**
     * A query killed at minute 2 (up goes to 0 and its last progress stays at 90 s): down fires after its 1 minute
     * "for", no-progress once that report is over 5 minutes old; a healthy query raises neither. A query warned about
     * from minute 1 (falls behind) raises the warning alert after its 5 minutes "for".
     */
    private static String ruleTest(Path rules) {
        return "rule_files: ['" + rules + "']\n"
                + "evaluation_interval: 1m\n"
                + "tests:\n"
                + "  - interval: 1m\n"
                + "    input_series:\n"
                + "      - series: 'streampatterns_query_up{query=\"monitor-metrics\",id=\"a\"}'\n"
                + "        values: '1 1 0 0 0 0 0 0 0'\n"
                + "      - series: 'streampatterns_query_last_progress_timestamp_seconds{query=\"monitor-metrics\",id=\"a\"}'\n"
                + "        values: '0 60 90 90 90 90 90 90 90'\n"
                + "      - series: 'streampatterns_query_up{query=\"monitor-alerts\",id=\"b\"}'\n"
                + "        values: '1 1 1 1 1 1 1 1 1'\n"
                + "      - series: 'streampatterns_query_last_progress_timestamp_seconds{query=\"monitor-alerts\",id=\"b\"}'\n"
                + "        values: '0 60 120 180 240 300 360 420 480'\n"
                + "      - series: 'streampatterns_query_warning{query=\"monitor-alerts\",id=\"b\",kind=\"falls_behind\"}'\n"
                + "        values: '0 1 1 1 1 1 1 1 1'\n"
                + "      - series: 'streampatterns_query_warning{query=\"monitor-alerts\",id=\"b\",kind=\"state_grows\"}'\n"
                + "        values: '0 0 0 0 0 0 0 0 0'\n"
                + "    alert_rule_test:\n"
                + "      - eval_time: 2m\n"
                + "        alertname: StreampatternsQueryDown\n"
                + "        exp_alerts: []\n"
                + "      - eval_time: 3m\n"
                + "        alertname: StreampatternsQueryDown\n"
                + "        exp_alerts:\n"
                + "          - exp_labels: {severity: critical, query: monitor-metrics, id: a}\n"
                + "            exp_annotations:\n"
                + "              summary: 'streampatterns query monitor-metrics is down'\n"
                + "              description: 'Query monitor-metrics (a) stopped, failed, or its process stopped sending"
                + " heartbeats: see the dashboard''s pipeline health table and the command''s log file.'\n"
                + "      - eval_time: 6m\n"
                + "        alertname: StreampatternsQueryNoProgress\n"
                + "        exp_alerts: []\n"
                + "      - eval_time: 7m\n"
                + "        alertname: StreampatternsQueryNoProgress\n"
                + "        exp_alerts:\n"
                + "          - exp_labels: {severity: warning, query: monitor-metrics, id: a}\n"
                + "            exp_annotations:\n"
                + "              summary: 'streampatterns query monitor-metrics made no progress for 5 minutes'\n"
                + "              description: 'The last progress report of monitor-metrics is 5m 30s old.'\n"
                + "      - eval_time: 5m\n"
                + "        alertname: StreampatternsQueryWarning\n"
                + "        exp_alerts: []\n"
                + "      - eval_time: 6m\n"
                + "        alertname: StreampatternsQueryWarning\n"
                + "        exp_alerts:\n"
                + "          - exp_labels: {severity: warning, query: monitor-alerts, id: b, kind: falls_behind}\n"
                + "            exp_annotations:\n"
                + "              summary: 'streampatterns query monitor-alerts: falls_behind'\n"
                + "              description: 'Query monitor-alerts (b) has warned falls_behind for 5 minutes: see the"
                + " dashboard''s pipeline health table for the numbers.'\n";
    }

    /** Running (falling behind), stale, stopped and failed queries, one without progress, one with a label to escape. */
    private static List<QueryFigures> sampleQueries() {
        Instant beat = Instant.parse("2024-05-01T10:05:10Z");
        QueryFigures progress = QueryFigures.fromProgress(Json.parse(PrometheusTest.PROGRESS)).withHeartbeat(beat, "7@host");
        QueryWarning lag = new QueryWarning(QueryWarning.Kind.FALLS_BEHIND, "requests_per_minute", "requests_per_minute falls behind");
        return List.of(progress.withWarnings(List.of(lag)).judged(beat.plusSeconds(1), Duration.ofSeconds(30)),
                QueryFigures.started("stale \"one\"", "q-2").withHeartbeat(beat, "8@host").judged(beat.plusSeconds(60), Duration.ofSeconds(30)),
                QueryFigures.started("stopped", "q-3").terminated(null),
                QueryFigures.started("failed", "q-4").terminated("boom\nat line 2"));
    }

    private static Set<String> families(String exposition) {
        Set<String> names = new TreeSet<>();
        exposition.lines().filter(l -> l.startsWith("# TYPE ")).forEach(l -> names.add(l.split(" ")[2]));
        return names;
    }

    private static String rules() throws IOException {
        try (InputStream in = PrometheusRulesTest.class.getClassLoader().getResourceAsStream(RULES)) {
            assertTrue(in != null, RULES + " is not on the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** promtool from the PATH; missing, the test is skipped on a developer's machine and fails on CI. */
    private static Path promtool() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, "promtool");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        String hint = "promtool is missing: run scripts/ensure-promtool.sh (apt-get install -y prometheus)";
        if ("true".equals(System.getenv("CI"))) {
            fail(hint);
        }
        Assumptions.abort(hint);
        return null;
    }

    private static void assertPromtool(Path promtool, String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(promtool.toString()));
        cmd.addAll(Arrays.asList(args));
        Path out = Files.createTempFile("promtool", ".txt");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");
            String output = Files.readString(out);
            assertEquals(0, p.exitValue(), String.join(" ", args) + ":\n" + output);
            if (stdin != null) {
                assertEquals("", output.strip(), "promtool check metrics found problems:\n" + output);
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
