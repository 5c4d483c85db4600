package io.streampatterns.apps.pipeline;

import io.streampatterns.apps.cli.Cli;
import io.streampatterns.apps.kafka.EmbeddedKafka;
import io.streampatterns.apps.kafka.KafkaLines;
import io.streampatterns.testkit.InputFiles;
import io.streampatterns.testkit.PostgresServer;
import io.streampatterns.testkit.TestSpark;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code run}: expectations, a table read by the next flow, exactly once on a second run, FAIL UPDATE; {@code sql -e}; {@code pipeline graph}. */
class PipelineRunTest {
    private static final String SPEC = "name: checks\nstorage: storage\nconfiguration:\n  input: in\nlibraries:\n  - glob:\n      include: transformations/**\n";
    private static final String OVERLAY = "sources:\n  clicks: {path: \"${input}\", format: jsonl, schema: clickstream}\n";
    private static final String CHECKED = """
            CREATE STREAMING TABLE checked (
              CONSTRAINT has_page EXPECT (page IS NOT NULL) ON VIOLATION QUARANTINE,
              CONSTRAINT not_bot EXPECT (device <> 'bot') ON VIOLATION DROP ROW,
              CONSTRAINT small EXPECT (amount IS NULL OR amount < 100)
            ) AS SELECT event_id, ts, page, device, amount FROM STREAM(clicks);

            CREATE STREAMING TABLE per_minute AS
            SELECT window.start AS minute, count(*) AS clicks
            FROM STREAM(checked) WATERMARK ts DELAY OF INTERVAL 1 MINUTE
            GROUP BY window(ts, '1 minute');
            """;

    @TempDir
    Path dir;

    @Test
    void expectationsDropQuarantineAndCountAndTheNextFlowReadsTheTable() throws IOException, Exception {
        SparkSession spark = TestSpark.get();
        write(CHECKED);
        input("a.jsonl", click("e1", "00:00:10", "home", "web", null), click("e2", "00:00:20", null, "web", null),
                click("e3", "00:00:30", "home", "bot", null), click("e4", "00:00:40", "cart", "web", 150.0),
                "{\"event_id\":", click("e5", "00:05:00", "home", "web", null));
        Pipeline p = Pipeline.load(spark, dir.resolve("spark-pipeline.yml"), Map.of(), null, true);
        Map<String, Long> counts = new TreeMap<>();
        for (FlowPlanner.PlannedFlow f : p.flows()) {
            StreamingQuery q = PipelineRunner.start(p, f, Trigger.AvailableNow());
            q.awaitTermination();
            for (StreamingQueryProgress progress : q.recentProgress()) {
                Row m = progress.observedMetrics().get(Expectations.metricName("checked"));
                for (int i = 0; m != null && i < m.length(); i++) {
                    counts.merge(m.schema().fieldNames()[i], m.getLong(i), Long::sum);
                }
            }
        }
        assertEquals(Map.of("rows", 5L, "has_page", 1L, "not_bot", 1L, "small", 1L), counts);
        assertEquals(List.of("[e1,home]", "[e4,cart]", "[e5,home]"), rows(spark, "checked", "event_id", "page"));
        assertEquals(List.of("[e2,has_page]"), rows(spark, "checked_quarantine", "event_id", "reason"));
        assertEquals(List.of("[{\"event_id\":,unparsable JSON]"), rows(spark, "clicks_quarantine", "raw", "reason"));
        assertEquals(List.of("[2024-05-01 00:00:00,2]"), rows(spark, "per_minute", "cast(minute as string)", "clicks"));

        input("b.jsonl", click("e6", "00:07:30", "home", "web", null));
        assertEquals(0, Cli.execute(new RunCommand(), dir.resolve("spark-pipeline.yml").toString(), "--once"));
        assertEquals(List.of("[e1]", "[e4]", "[e5]", "[e6]"), rows(spark, "checked", "event_id"));
        assertEquals(1, rows(spark, "clicks_quarantine", "raw").size());
        assertEquals(List.of("[2024-05-01 00:00:00,2]", "[2024-05-01 00:05:00,1]"),
                rows(spark, "per_minute", "cast(minute as string)", "clicks"));

        String printed = stdout(() -> Cli.execute(new SqlCommand(), dir.resolve("spark-pipeline.yml").toString(), "-e",
                "SELECT event_id, 'kept' AS fate FROM checked UNION ALL SELECT event_id, reason FROM checked_quarantine ORDER BY 1"));
        assertEquals(List.of("event_id|fate", "e1|kept", "e2|has_page", "e4|kept", "e5|kept", "e6|kept"),
                printed.lines().map(l -> l.replaceAll("\\s*\\|\\s*", "|").strip()).filter(l -> !l.isEmpty()).toList());
    }

    @Test
    void failUpdateStopsTheRunAndWritesNothingOfTheBatch() throws IOException {
        SparkSession spark = TestSpark.get();
        write("CREATE STREAMING TABLE checked (CONSTRAINT small EXPECT (amount < 100) ON VIOLATION FAIL UPDATE)\n"
                + "AS SELECT event_id, amount FROM STREAM(clicks);\n");
        input("a.jsonl", click("e1", "00:00:10", "home", "web", 5.0), click("e2", "00:00:20", "home", "web", 500.0));
        assertEquals(1, Cli.execute(new RunCommand(), dir.resolve("spark-pipeline.yml").toString(), "--once"));
        assertEquals(List.of(), rows(spark, "checked", "event_id"));
    }

    @Test
    void graphPrintsTextAndMermaid() throws IOException {
        write(CHECKED);
        input("a.jsonl", click("e1", "00:00:10", "home", "web", null));
        String printed = stdout(() -> Cli.execute(new PipelineCommand(), "graph", dir.resolve("spark-pipeline.yml").toString()));
        assertTrue(printed.contains("  streaming table checked <- clicks  [expect has_page: QUARANTINE]  [expect not_bot: DROP ROW]"
                + "  [expect small]  (transformations/flows.sql:1)"), printed);
        assertTrue(printed.contains("  streaming table per_minute <- checked  (transformations/flows.sql:7)"), printed);
        assertTrue(printed.contains("flowchart LR\n"), printed);
        assertTrue(printed.contains("  clicks --> checked\n  "), printed);
        assertTrue(printed.contains("  checked --> per_minute"), printed);
        assertFalse(Files.exists(dir.resolve("storage")));
    }

    /** What {@code command} prints on stdout; it must exit with 0. */
    @Test
    void statsStepUpsertsTheRowsTheStatsCommandWritesAcrossRuns() throws Exception {
        SparkSession spark = TestSpark.get();
        write("CREATE STREAMING TABLE user_stats AS SELECT user_id, ts, amount FROM STREAM(clicks);\n");
        Files.writeString(dir.resolve(PipelineSpec.OVERLAY), OVERLAY
                + "steps:\n  user_stats: {pattern: stats, key: user_id, time: ts, watermark: 1m, ttl: 10m, sums: amount}\n");
        String[] stats = {"--input", dir.resolve("in").toString(), "--format", "jsonl", "--key", "user_id", "--time", "ts",
                "--ttl", "10m", "--watermark", "1m", "--sum", "amount", "--output", dir.resolve("java").toString(), "--once"};
        input("a.jsonl", click("e1", "00:00:10", "home", "web", 5.0), click("e2", "00:01:00", "cart", "web", 7.5),
                click("e3", "00:03:00", "home", "web", null));
        assertEquals(0, Cli.execute(new RunCommand(), dir.resolve("spark-pipeline.yml").toString(), "--once"));
        assertEquals(0, Cli.execute(new io.streampatterns.apps.stats.StatsCommand(), stats));
        assertEquals(1, rows(spark, "user_stats", "*").size());
        assertEquals(javaStats(spark), rows(spark, "user_stats", "*"));

        // the second run updates the key's row in place (upserted on user_id, active_since)
        input("b.jsonl", click("e4", "00:04:00", "home", "web", 1.0), click("e5", "00:30:00", "home", "web", 2.0),
                click("e6", "00:45:00", "home", "web", null));
        assertEquals(0, Cli.execute(new RunCommand(), dir.resolve("spark-pipeline.yml").toString(), "--once"));
        assertEquals(0, Cli.execute(new io.streampatterns.apps.stats.StatsCommand(), stats));
        assertEquals(List.of("[6,15.5,false]"), rows(spark, "user_stats", "events", "total_amount", "pruned"));
        assertEquals(javaStats(spark), rows(spark, "user_stats", "*"));
    }

    @Test
    void kafkaSourceAndWarehouseAndKafkaSinksTakeEachRecordOnceAcrossRunsAndBadRecordsAreQuarantinedWithTheirOffset()
            throws Exception {
        SparkSession spark = TestSpark.get();
        PostgresServer pg = PostgresServer.shared();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            write("CREATE STREAMING TABLE copied AS SELECT event_id, page FROM STREAM(clicks);\n");
            Files.writeString(dir.resolve(PipelineSpec.OVERLAY),
                    "sources:\n  clicks: {kafka: \"${bootstrap}\", topic: clicks, format: jsonl, schema: clickstream}\n"
                            + "sinks:\n  copied: {warehouse: \"${jdbc}\", warehouse-user: \"${user}\", warehouse-table: pipeline_copied,"
                            + " warehouse-keys: event_id, kafka: \"${bootstrap}\", kafka-topic: copied, kafka-key: event_id}\n");
            String[] run = {dir.resolve("spark-pipeline.yml").toString(), "--conf", "bootstrap=" + kafka.bootstrapServers(),
                    "--conf", "jdbc=" + pg.jdbcUrl() + "?password=" + pg.password(), "--conf", "user=" + pg.user(), "--once"};
            KafkaLines.send(kafka.bootstrapServers(), "clicks", List.of(click("e1", "00:00:10", "home", "web", null),
                    click("e2", "00:00:20", "cart", "web", null), "{\"event_id\":"));
            assertEquals(0, Cli.execute(new RunCommand(), run));
            assertEquals(List.of("[e1,home]", "[e2,cart]"), rows(spark, "copied", "event_id", "page"));
            assertEquals(List.of("[clicks/0@2,unparsable JSON]"), rows(spark, "clicks_quarantine", "source", "reason"));

            KafkaLines.send(kafka.bootstrapServers(), "clicks", List.of(click("e3", "00:00:30", "home", "web", null)));
            assertEquals(0, Cli.execute(new RunCommand(), run));
            assertEquals(List.of("[e1]", "[e2]", "[e3]"), rows(spark, "copied", "event_id"));
            assertEquals(1, rows(spark, "clicks_quarantine", "raw").size());
            assertEquals(List.of("e1|home", "e2|cart", "e3|home"),
                    pg.rows("SELECT event_id || '|' || page FROM pipeline_copied ORDER BY event_id"));
            List<String> topic = new java.util.ArrayList<>();
            KafkaLines.consume(kafka.bootstrapServers(), "copied", new KafkaLines.ConsumeOptions(true, true, 0,
                    java.time.Duration.ofSeconds(3)), topic::add);
            assertEquals(List.of("{\"event_id\":\"e1\",\"page\":\"home\"}", "{\"event_id\":\"e2\",\"page\":\"cart\"}",
                    "{\"event_id\":\"e3\",\"page\":\"home\"}"), topic.stream().sorted().toList());
        }
    }

    @Test
    void sinkNamingAColumnTheTableLacksIsAProblemAtItsLine() throws IOException {
        input("a.jsonl", click("e1", "00:00:10", "home", "web", null));
        write("CREATE STREAMING TABLE copied AS SELECT event_id FROM STREAM(clicks);\n");
        Files.writeString(dir.resolve(PipelineSpec.OVERLAY), OVERLAY
                + "sinks:\n  copied: {warehouse: \"jdbc:postgresql://localhost/db\", warehouse-keys: id}\n");
        assertTrue(problems().stream().anyMatch(p -> p.startsWith("streampatterns.yml:4: sinks of copied: warehouse-keys: no column 'id'")),
                problems().toString());
    }

    @Test
    void sourceWithBothPathAndKafkaOrKafkaWithoutTopicIsAProblemAtItsLine() throws IOException {
        write("CREATE STREAMING TABLE copied AS SELECT event_id FROM STREAM(clicks);\n");
        Files.writeString(dir.resolve(PipelineSpec.OVERLAY), "sources:\n  clicks: {path: in, kafka: \"localhost:9092\", topic: t}\n");
        assertTrue(problems().contains("streampatterns.yml:2: source clicks needs exactly one of path and kafka — "
                + "add path: DIR, or kafka: HOST:PORT with topic: T"), problems().toString());
        Files.writeString(dir.resolve(PipelineSpec.OVERLAY), "sources:\n  clicks: {kafka: \"localhost:9092\"}\n");
        assertTrue(problems().contains("streampatterns.yml:2: source clicks reads Kafka but names no topic — add topic: T"),
                problems().toString());
    }

    private List<String> problems() {
        PipelineException e = org.junit.jupiter.api.Assertions.assertThrows(PipelineException.class,
                () -> Pipeline.load(TestSpark.get(), dir.resolve("spark-pipeline.yml"), Map.of(), null, false));
        return e.problems().stream().map(Problem::toString).toList();
    }

    @Test
    void windowsStepInUpdateModeUpsertsTheRowsTheAggregateCommandWritesAcrossRuns() throws Exception {
        SparkSession spark = TestSpark.get();
        write("CREATE STREAMING TABLE windows AS SELECT user_id AS key, ts AS time, amount AS value FROM STREAM(clicks);\n");
        Files.writeString(dir.resolve(PipelineSpec.OVERLAY), OVERLAY + "steps:\n  windows: {pattern: windows, key: key, time: time,"
                + " watermark: 1m, windows: 10m/5m, aggregates: \"count, stats(value), distinct(value), quantiles(value, 0.5, 0.95, 0.99)\","
                + " mode: update}\n");
        String[] aggregate = {"--input", dir.resolve("in").toString(), "--format", "jsonl", "--key", "user_id", "--time", "ts",
                "--value", "amount", "--window", "10m", "--slide", "5m", "--watermark", "1m", "--mode", "update",
                "--output", dir.resolve("java").toString(), "--once"};
        input("a.jsonl", click("e1", "00:01:00", "home", "web", 5.0), click("e2", "00:06:00", "cart", "web", 7.0));
        assertEquals(0, Cli.execute(new RunCommand(), dir.resolve("spark-pipeline.yml").toString(), "--once"));
        assertEquals(0, Cli.execute(new io.streampatterns.apps.aggregate.AggregateCommand(), aggregate));
        assertEquals(table(spark, dir.resolve("java")), rows(spark, "windows", "*"));

        input("b.jsonl", click("e3", "00:07:00", "home", "web", 1.0), click("e4", "00:12:00", "home", "web", 2.0));
        assertEquals(0, Cli.execute(new RunCommand(), dir.resolve("spark-pipeline.yml").toString(), "--once"));
        assertEquals(0, Cli.execute(new io.streampatterns.apps.aggregate.AggregateCommand(), aggregate));
        List<String> windows = rows(spark, "windows", "cast(window_start as string)", "count", "sum");
        assertEquals(List.of("[2024-04-30 23:55:00,1,5.0]", "[2024-05-01 00:00:00,3,13.0]", "[2024-05-01 00:05:00,3,10.0]",
                "[2024-05-01 00:10:00,1,2.0]"), windows);
        assertEquals(table(spark, dir.resolve("java")), rows(spark, "windows", "*"));
    }

    private static List<String> table(SparkSession spark, Path table) {
        return spark.read().format("delta").load(table.toString()).collectAsList().stream().map(Row::toString).sorted().toList();
    }

    private List<String> javaStats(SparkSession spark) {
        return spark.read().format("delta").load(dir.resolve("java").toString()).collectAsList().stream()
                .map(Row::toString).sorted().toList();
    }

    private static String stdout(java.util.function.IntSupplier command) {
        PrintStream out = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, command.getAsInt());
        } finally {
            System.setOut(out);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    private static String click(String id, String time, String page, String device, Double amount) {
        return "{\"event_id\":\"" + id + "\",\"user_id\":\"u1\",\"ts\":\"2024-05-01T" + time + "Z\",\"type\":\"click\""
                + (page == null ? "" : ",\"page\":\"" + page + "\"") + ",\"device\":\"" + device + "\""
                + (amount == null ? "" : ",\"amount\":" + amount) + "}";
    }

    private void input(String name, String... lines) throws IOException {
        Files.createDirectories(dir.resolve("in"));
        InputFiles.write(dir.resolve("in").resolve(name), List.of(lines));
    }

    private void write(String sql) throws IOException {
        Files.writeString(dir.resolve("spark-pipeline.yml"), SPEC);
        Files.writeString(dir.resolve(PipelineSpec.OVERLAY), OVERLAY);
        Files.createDirectories(dir.resolve("transformations"));
        Files.writeString(dir.resolve("transformations/flows.sql"), sql);
    }

    private List<String> rows(SparkSession spark, String table, String... columns) {
        return spark.read().format("delta").load(dir.resolve("storage").resolve(table).toString()).selectExpr(columns)
                .collectAsList().stream().map(Row::toString).sorted().toList();
    }
}
