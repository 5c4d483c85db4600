package io.streampatterns.apps.pipeline;

import io.streampatterns.apps.cli.Cli;
import io.streampatterns.apps.generate.GenerateCommand;
import io.streampatterns.apps.ingest.BuiltinSchemas;
import io.streampatterns.apps.ingest.IngestApp;
import io.streampatterns.apps.io.EventInput;
import io.streampatterns.apps.io.QuarantineTable;
import io.streampatterns.apps.io.RawInput;
import io.streampatterns.apps.monitor.MonitorCommand;
import io.streampatterns.apps.sessions.SessionsApp;
import io.streampatterns.core.EmitMode;
import io.streampatterns.core.EventTime;
import io.streampatterns.quarantine.RecordFormat;
import io.streampatterns.sessions.SessionOptions;
import io.streampatterns.sessions.SessionRules;
import io.streampatterns.testkit.InputFiles;
import io.streampatterns.testkit.TestSpark;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped SQL pipelines under {@code pipelines/} give the same rows as their Java apps on the same input. */
class PipelineExamplesTest {
    private static final Path PIPELINES = Path.of(System.getProperty("user.dir")).resolve("../pipelines").normalize();

    @TempDir
    Path dir;

    @Test
    void sessionsPipelineEqualsSessionsApp() throws Exception {
        SparkSession spark = TestSpark.get();
        Path in = input();
        assertEquals(0, Cli.execute(new RunCommand(), PIPELINES.resolve("sessions").toString(), "--conf", "input=" + in,
                "--storage", dir.resolve("sql").toString(), "--once"));

        EventInput events = EventInput.files(spark, in, 0, BuiltinSchemas.resolve("clickstream", null, null));
        SessionOptions sessions = SessionOptions.of("user_id", EventTime.of("ts", Duration.ofMinutes(10)))
                .rules(SessionRules.gap(Duration.ofMinutes(30)).withMaxDuration(Duration.ofHours(4)).withCloseWhen("type = 'logout'"))
                .emit(EmitMode.APPEND);
        SessionsApp.Options options = SessionsApp.Options.of(sessions, dir.resolve("java").toUri()).withColumns("page", "campaign", "amount");
        SessionsApp.start(spark, events.events(), options, dir.resolve("java_checkpoint").toUri(), Trigger.AvailableNow(),
                QuarantineTable.of(dir.resolve("java_quarantine").toString(), events)).awaitTermination();

        List<String> expected = rows(spark, dir.resolve("java"), "*");
        assertTrue(expected.size() > 20, "sessions: " + expected.size());
        assertEquals(expected, rows(spark, dir.resolve("sql/sessions"), "*"));
        assertEquals(rows(spark, dir.resolve("java_quarantine"), "raw", "reason"),
                rows(spark, dir.resolve("sql/clicks_quarantine"), "raw", "reason"));
        assertEquals(1, rows(spark, dir.resolve("sql/clicks_quarantine"), "raw").size());
    }

    @Test
    void ingestPipelineEqualsIngestApp() throws Exception {
        SparkSession spark = TestSpark.get();
        Path in = input();
        assertEquals(0, Cli.execute(new RunCommand(), PIPELINES.resolve("ingest").toString(), "--conf", "input=" + in,
                "--storage", dir.resolve("sql").toString(), "--once"));

        IngestApp.Options options = IngestApp.Options.of(BuiltinSchemas.resolve("clickstream", null, null),
                RecordFormat.JSON_LINES, dir.resolve("lake").toUri(), "clicks");
        IngestApp.start(spark, RawInput.files(spark, in, 0), options, Trigger.AvailableNow()).awaitTermination();

        String[] columns = spark.read().format("delta").load(dir.resolve("sql/clicks").toString()).columns();
        List<String> expected = rows(spark, dir.resolve("lake/clicks"), columns);
        assertTrue(expected.size() > 200, "clicks: " + expected.size());
        assertEquals(expected, rows(spark, dir.resolve("sql/clicks"), columns));
        assertEquals(rows(spark, dir.resolve("lake/clicks_quarantine"), "raw", "reason"),
                rows(spark, dir.resolve("sql/raw_clicks_quarantine"), "raw", "reason"));
    }

    @Test
    void monitoringPipelineEqualsMonitorApp() throws Exception {
        SparkSession spark = TestSpark.get();
        Path in = dir.resolve("logs");
        assertEquals(0, Cli.execute(new GenerateCommand(), "apache-logs", "--out", in.toString(), "--events", "1200",
                "--seed", "5", "--events-per-file", "400"));
        InputFiles.write(in.resolve("zz-bad.log"), List.of("this is not an access log line"));
        assertEquals(0, Cli.execute(new RunCommand(), PIPELINES.resolve("monitoring").toString(), "--conf", "input=" + in,
                "--storage", dir.resolve("sql").toString(), "--once"));
        assertEquals(0, Cli.execute(new MonitorCommand(), "--input", in.toString(), "--format", "apache-log",
                "--output", dir.resolve("java").toString(), "--once"));

        String java = "java";
        spark.read().format("delta").load(dir.resolve(java + "/requests_per_minute").toString())
                .selectExpr("'*' AS endpoint", "*").createOrReplaceTempView("java_minutes");
        spark.read().format("delta").load(dir.resolve(java + "/endpoints_per_minute").toString()).createOrReplaceTempView("java_endpoints");
        spark.read().format("delta").load(dir.resolve(java + "/sliding_windows").toString()).drop("window")
                .createOrReplaceTempView("java_sliding");
        spark.read().format("delta").load(dir.resolve("sql/endpoint_windows").toString())
                .withColumnRenamed("clients_distinct", "clients").createOrReplaceTempView("sql_windows");
        String exact = "endpoint, window_start, window_end, requests, CAST(errors_4xx AS BIGINT), CAST(errors_5xx AS BIGINT), "
                + "CAST(bytes AS BIGINT), clients";
        // KLL sketches compact at random beyond 200 values: quantiles are compared where they are exact
        String quantiles = ", IF(requests <= 200, to_json(array(bytes_p50, bytes_p95, bytes_p99, latency_ms_p50, "
                + "latency_ms_p95, latency_ms_p99)), 'approximate')";
        List<String> expected = sorted(spark.sql("SELECT " + exact + quantiles + " FROM java_minutes UNION ALL SELECT "
                + exact + quantiles + " FROM java_endpoints UNION ALL SELECT " + exact + quantiles + " FROM java_sliding"));
        assertTrue(expected.size() > 100, "windows: " + expected.size());
        assertEquals(expected, sorted(spark.sql("SELECT " + exact + quantiles + " FROM sql_windows")));
        assertEquals(rows(spark, dir.resolve("java/quarantine"), "raw", "reason"),
                rows(spark, dir.resolve("sql/logs_quarantine"), "raw", "reason"));
        assertEquals(1, rows(spark, dir.resolve("sql/logs_quarantine"), "raw").size());
    }

    private static List<String> sorted(org.apache.spark.sql.Dataset<Row> rows) {
        return rows.collectAsList().stream().map(Row::toString).sorted().toList();
    }

    /** 250 generated clicks (with a duplicate) and one bad record. */
    private Path input() throws Exception {
        Path in = dir.resolve("in");
        assertEquals(0, Cli.execute(new GenerateCommand(), "clickstream", "--out", in.toString(), "--events", "250",
                "--seed", "7", "--users", "25", "--events-per-file", "100"));
        InputFiles.write(in.resolve("zz-late.jsonl"), List.of("{\"event_id\":\"bad\"",
                "{\"event_id\":\"late-1\",\"user_id\":\"u-x\",\"ts\":\"2024-05-01T00:00:01Z\",\"type\":\"click\",\"page\":\"/\"}"));
        return in;
    }

    private static List<String> rows(SparkSession spark, Path table, String... columns) {
        return spark.read().format("delta").load(table.toString()).selectExpr(columns).collectAsList().stream()
                .map(Row::toString).sorted().toList();
    }
}
