package io.streampatterns.apps.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streampatterns.apps.cli.Cli;
import io.streampatterns.apps.kafka.EmbeddedKafka;
import io.streampatterns.apps.kafka.TopicContents;
import io.streampatterns.dashboard.ProgressFiles;
import io.streampatterns.dashboard.QueryFigures;
import io.streampatterns.testkit.TestSpark;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end on the real Apache log (10,000 lines, one of them truncated): {@code monitor --once} against an
 * independent count of the file per minute, and the no-traffic alerts against the gaps of that count (in the table and, exactly once, in a Kafka topic).
 */
class MonitorCommandTest {
    static final Path LOG = Path.of("..", "..", "shared", "data", "apache_logs", "apache_logs");
    /** A plain combined-log pattern, independent of the pipeline's parser. */
    static final Pattern COMBINED = Pattern.compile("^\\S+ \\S+ \\S+ \\[([^\\]]+)\\] \"[^\"]*\" (\\d{3}) (\\S+) \"[^\"]*\" \"[^\"]*\"$");
    static final DateTimeFormatter CLF = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);

    /** minute → {requests, 4xx, 5xx, bytes}, from the file. */
    static TreeMap<Instant, long[]> expectedMinutes(Path log) throws Exception {
        TreeMap<Instant, long[]> m = new TreeMap<>();
        for (String line : Files.readAllLines(log, StandardCharsets.ISO_8859_1)) {
            Matcher x = COMBINED.matcher(line);
            if (!x.matches()) {
                continue;
            }
            Instant minute = ZonedDateTime.parse(x.group(1), CLF).toInstant().truncatedTo(ChronoUnit.MINUTES);
            int status = Integer.parseInt(x.group(2));
            long[] v = m.computeIfAbsent(minute, k -> new long[4]);
            v[0]++;
            v[1] += status / 100 == 4 ? 1 : 0;
            v[2] += status / 100 == 5 ? 1 : 0;
            v[3] += x.group(3).equals("-") ? 0 : Long.parseLong(x.group(3));
        }
        return m;
    }

    @Test
    void realLogEveryParsedLineCountsInItsMinuteAndGapsRaiseNoTrafficAlerts(@TempDir Path dir) throws Exception {
        SparkSession spark = TestSpark.get();
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.copy(LOG, in.resolve("access.log"));
        Path rules = Files.writeString(dir.resolve("rules.yaml"),
                "rules:\n  - {name: no-traffic, when: requests = 0, for: 5m, where: \"endpoint = '*'\"}\n");
        Path out = dir.resolve("out");
        List<String> kafkaAlerts = new ArrayList<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            assertEquals(0, Cli.execute(new MonitorCommand(), "--input", in.toString(), "--format", "apache-log",
                    "--output", out.toString(), "--rules", rules.toString(), "--once",
                    "--to-kafka", kafka.bootstrapServers(), "--to-topic", "alerts"));
            ObjectMapper json = new ObjectMapper();
            for (String r : TopicContents.read(kafka.bootstrapServers(), "alerts", true)) {
                assertTrue(r.startsWith("*/no-traffic {"), "key endpoint/rule: " + r);
                JsonNode a = json.readTree(r.substring(r.indexOf(' ') + 1));
                kafkaAlerts.add(a.get("state").asText() + " " + Instant.parse(a.get("at").asText()) + " since "
                        + Instant.parse(a.get("since").asText()));
            }
        }
        // issue 17: a --once run records every query as stopped (the last one's end used to reach no listener)
        List<String> health = new ArrayList<>();
        for (QueryFigures q : ProgressFiles.readAll(out.resolve("_progress").toUri())) {
            health.add(q.label() + " " + q.state());
        }
        health.sort(String::compareTo);
        assertEquals(List.of("monitor-alerts stopped", "monitor-metrics stopped"), health);

        TreeMap<Instant, long[]> file = expectedMinutes(LOG);
        Instant newest = file.lastKey();
        // the watermark (2 min) closes every minute but the newest: it stays open until later lines arrive
        Map<Instant, long[]> closed = new TreeMap<>(file.headMap(newest));
        Map<Instant, long[]> table = new TreeMap<>();
        for (Row r : spark.read().format("delta").load(out.resolve("requests_per_minute").toString()).collectAsList()) {
            table.put(((java.sql.Timestamp) r.getAs("window_start")).toInstant(), new long[] {r.getAs("requests"),
                    r.getAs("errors_4xx"), r.getAs("errors_5xx"), r.getAs("bytes")});
        }
        assertEquals(show(closed), show(table));
        assertEquals(9999 - file.get(newest)[0], closed.values().stream().mapToLong(v -> v[0]).sum());
        assertEquals(List.of("not in Apache combined log format access.log:8899"),
                spark.read().format("delta").load(out.resolve("quarantine").toString())
                        .selectExpr("concat(reason, ' ', regexp_extract(source, '[^/]+$', 0))").as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
        long perEndpoint = spark.read().format("delta").load(out.resolve("endpoints_per_minute").toString())
                .selectExpr("sum(requests)").first().getLong(0);
        assertEquals(closed.values().stream().mapToLong(v -> v[0]).sum(), perEndpoint, "each line in exactly one endpoint group");

        List<String> expectedAlerts = new ArrayList<>();
        List<Instant> minutes = new ArrayList<>(closed.keySet());
        for (int i = 1; i < minutes.size(); i++) {
            Instant a = minutes.get(i - 1);
            Instant b = minutes.get(i);
            if (b.isAfter(a.plus(5, ChronoUnit.MINUTES))) {
                expectedAlerts.add("firing " + a.plus(6, ChronoUnit.MINUTES) + " since " + a.plus(1, ChronoUnit.MINUTES));
                expectedAlerts.add("resolved " + b.plus(1, ChronoUnit.MINUTES) + " since " + a.plus(1, ChronoUnit.MINUTES));
            }
        }
        List<String> alerts = new ArrayList<>();
        for (Row r : spark.read().format("delta").load(out.resolve("alerts").toString()).orderBy("at", "state").collectAsList()) {
            alerts.add(r.getAs("state") + " " + ((java.sql.Timestamp) r.getAs("at")).toInstant() + " since "
                    + ((java.sql.Timestamp) r.getAs("since")).toInstant());
        }
        expectedAlerts.sort(String::compareTo);
        alerts.sort(String::compareTo);
        assertEquals(expectedAlerts, alerts);
        assertEquals(true, alerts.size() > 100, "the sample log has traffic in one minute per hour");
        kafkaAlerts.sort(String::compareTo);
        assertEquals(alerts, kafkaAlerts, "--to-kafka: the alert events, each once, for read_committed consumers");
    }

    @Test
    void configurationErrorsExitWithCode2(@TempDir Path dir) throws Exception {
        TestSpark.get();
        Path in = Files.createDirectories(dir.resolve("in"));
        String out = dir.resolve("out").toString();
        Path typo = Files.writeString(dir.resolve("r.yaml"), "rules:\n  - {name: a, when: requests = 0, fro: 5m}\n");
        assertEquals(2, Cli.execute(new MonitorCommand(), "--input", in.toString(), "--format", "apache-log", "--output", out,
                "--rules", typo.toString(), "--once"));
        assertEquals(2, Cli.execute(new MonitorCommand(), "--input", in.toString(), "--format", "jsonl", "--output", out, "--once"));
        assertEquals(2, Cli.execute(new MonitorCommand(), "--input", in.toString(), "--format", "apache-log", "--output", out,
                "--windows", "5m", "--once"));
        assertEquals(2, Cli.execute(new MonitorCommand(), "--input", dir.resolve("missing").toString(), "--format", "apache-log",
                "--output", out, "--once"));
    }

    private static List<String> show(Map<Instant, long[]> m) {
        List<String> out = new ArrayList<>();
        m.forEach((k, v) -> out.add(k + " " + java.util.Arrays.toString(v)));
        return out;
    }
}
