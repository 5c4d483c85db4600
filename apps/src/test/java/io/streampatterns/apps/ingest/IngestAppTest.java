package io.streampatterns.apps.ingest;

import io.streampatterns.testkit.InputFiles;
import io.streampatterns.apps.cli.Cli;
import io.streampatterns.apps.io.OnDataLoss;
import io.streampatterns.apps.io.RawInput;
import io.streampatterns.apps.kafka.EmbeddedKafka;
import io.streampatterns.apps.kafka.KafkaLines;
import io.streampatterns.quarantine.RecordFormat;
import io.streampatterns.sink.jdbc.JdbcTarget;
import io.streampatterns.testkit.PostgresServer;
import io.streampatterns.testkit.TestSpark;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class IngestAppTest {
    static String click(String id, String user, String ts, String type) {
        return "{\"event_id\":\"" + id + "\",\"user_id\":\"" + user + "\",\"ts\":\"" + ts + "\",\"type\":\"" + type + "\"}";
    }

    static List<String> rows(SparkSession spark, java.net.URI table, String select, String order) {
        List<String> out = new ArrayList<>();
        for (Row r : spark.read().format("delta").load(table.toString()).selectExpr(select.split(";")).orderBy(order).collectAsList()) {
            out.add(r.toString());
        }
        return out;
    }

    static void runOnce(SparkSession spark, Path in, IngestApp.Options options) throws Exception {
        StreamingQuery q = IngestApp.start(spark, RawInput.files(spark, in, 1), options, Trigger.AvailableNow());
        q.awaitTermination();
    }

    @Test
    void goodDuplicateAndBadRecordsLandExactlyOnceInLakeQuarantineAndWarehouse(@TempDir Path dir) throws Exception {
        SparkSession spark = TestSpark.get();
        PostgresServer pg = PostgresServer.shared();
        Path in = Files.createDirectories(dir.resolve("in"));
        InputFiles.write(in.resolve("a.jsonl"), List.of(
                click("e1", "u1", "2024-05-01T10:00:00Z", "page_view"),
                click("e2", "u2", "2024-05-01T23:59:59Z", "click"),
                click("e1", "u1", "2024-05-01T10:00:00Z", "page_view"),
                "{\"event_id\":\"e3\",\"user_id\":\"u3\"",
                "",
                click("e4", "u4", "not-a-time", "click")));
        InputFiles.write(in.resolve("b.jsonl"), List.of(
                click("e2", "u2", "2024-05-01T23:59:59Z", "click"),
                click("e5", "u5", "2024-05-02T00:00:01Z", "purchase").replace("}", ",\"amount\":-1}"),
                click("e6", "u6", "2024-05-02T00:00:02Z", "purchase").replace("}", ",\"amount\":12.5}")));
        Files.write(in.resolve("b0-empty.jsonl"), new byte[0]);
        IngestApp.Options options = IngestApp.Options.of(BuiltinSchemas.resolve("clickstream", null, null),
                        RecordFormat.JSON_LINES, dir.resolve("lake").toUri(), "clicks")
                .withWarehouse(JdbcTarget.of(pg.jdbcUrl(), "clicks_it", "event_id").withUser(pg.user()).withPassword(pg.password()));

        runOnce(spark, in, options);
        runOnce(spark, in, options);  // nothing new: resumes, writes nothing twice

        assertEquals(List.of("[e1,u1,2024-05-01]", "[e2,u2,2024-05-01]", "[e6,u6,2024-05-02]"),
                rows(spark, options.tablePath(), "event_id;user_id;cast(event_date as string)", "event_id"));
        assertEquals(List.of(
                        "[a.jsonl:4,unparsable JSON]",
                        "[a.jsonl:6,field 'ts': cannot convert 'not-a-time' to timestamp]",
                        "[b.jsonl:2,amount must be >= 0]"),
                rows(spark, options.quarantinePath(), "regexp_extract(source, '[^/]+$', 0);reason", "source"));
        assertEquals(List.of("e1|u1|page_view", "e2|u2|click", "e6|u6|purchase"),
                query(pg, "SELECT event_id, user_id, type FROM clicks_it ORDER BY event_id"));

        InputFiles.write(in.resolve("c.jsonl"), List.of(click("e7", "u7", "2024-05-02T00:05:00Z", "click"),
                click("e6", "u6", "2024-05-02T00:00:02Z", "purchase")));
        runOnce(spark, in, options);
        assertEquals(4, rows(spark, options.tablePath(), "event_id", "event_id").size());
        assertEquals(List.of("e1", "e2", "e6", "e7"), query(pg, "SELECT event_id FROM clicks_it ORDER BY event_id"));
    }

    @Test
    void batchReplayedAfterItsSinksCommittedWritesNothingAndDoesNotFail(@TempDir Path dir) throws Exception {
        SparkSession spark = TestSpark.get();
        Path in = Files.createDirectories(dir.resolve("in"));
        InputFiles.write(in.resolve("a.jsonl"), List.of(click("r1", "u1", "2024-05-01T10:00:00Z", "click"), "{bad"));
        InputFiles.write(in.resolve("b.jsonl"), List.of(click("r2", "u2", "2024-05-01T10:01:00Z", "click")));
        IngestApp.Options options = IngestApp.Options.of(BuiltinSchemas.resolve("clickstream", null, null),
                RecordFormat.JSON_LINES, dir.resolve("lake").toUri(), "clicks");
        runOnce(spark, in, options);
        // as if the process died after the Delta commits of batch 1 (b.jsonl) but before Spark recorded it: the run
        // ended with a no-data batch 2, forgotten too, so that the restart replays batch 1 with its data
        forgetBatches(Path.of(options.checkpoint()).resolve("commits"), 1);
        forgetBatches(Path.of(options.checkpoint()).resolve("offsets"), 2);
        runOnce(spark, in, options);
        assertEquals(List.of("[r1]", "[r2]"), rows(spark, options.tablePath(), "event_id", "event_id"));
        assertEquals(1, spark.read().format("delta").load(options.quarantinePath().toString()).count());
        assertEquals(2, io.delta.tables.DeltaTable.forPath(spark, options.tablePath().toString()).history().count(),
                "one lake commit per batch with data: none for the no-data batch that ends the run, none for the replay");
    }

    /** Deletes the checkpoint log files of batches {@code from} and later from {@code log} (commits or offsets). */
    static void forgetBatches(Path log, long from) throws Exception {
        try (var files = Files.list(log)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString().replaceAll("^\\.(\\d+)\\.crc$", "$1");
                if (name.matches("\\d+") && Long.parseLong(name) >= from) {
                    Files.delete(p);
                }
            }
        }
    }

    @Test
    void smallFilesOfManyBatchesAreCompactedEveryNBatches(@TempDir Path dir) throws Exception {
        SparkSession spark = TestSpark.get();
        Path in = Files.createDirectories(dir.resolve("in"));
        for (int f = 0; f < 6; f++) {
            InputFiles.write(in.resolve("f" + f + ".jsonl"), List.of(click("c" + f, "u" + f, "2024-05-01T10:0" + f + ":00Z", "click")));
        }
        IngestApp.Options options = IngestApp.Options.of(BuiltinSchemas.resolve("clickstream", null, null),
                RecordFormat.JSON_LINES, dir.resolve("lake").toUri(), "clicks").withCompactEvery(3);
        runOnce(spark, in, options);
        assertEquals(6, spark.read().format("delta").load(options.tablePath().toString()).count());
        assertEquals(1, spark.read().format("delta").load(options.tablePath().toString()).inputFiles().length,
                "six one-row batches compacted into one file");
        assertEquals(2, io.delta.tables.DeltaTable.forPath(spark, options.tablePath().toString()).history()
                .filter("operation = 'OPTIMIZE'").count(), "compaction after batches 2 and 5");
    }

    @Test
    void crlfLineEndIsNotPartOfTheRecordAndBlankLinesKeepLineNumbers(@TempDir Path dir) throws Exception {
        SparkSession spark = TestSpark.get();
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.writeString(in.resolve("w.jsonl"), click("w1", "u1", "2024-05-01T10:00:00Z", "click") + "\r\n\r\n"
                + "{broken\r\n" + click("w2", "u2", "2024-05-01T10:00:01Z", "click") + "\r\n");
        IngestApp.Options options = IngestApp.Options.of(BuiltinSchemas.resolve("clickstream", null, null),
                RecordFormat.JSON_LINES, dir.resolve("lake").toUri(), "crlf");
        runOnce(spark, in, options);
        assertEquals(List.of("[w1]", "[w2]"), rows(spark, options.tablePath(), "event_id", "event_id"));
        assertEquals(List.of("[w.jsonl:3,{broken,unparsable JSON]"),
                rows(spark, options.quarantinePath(), "regexp_extract(source, '[^/]+$', 0);raw;reason", "source"));
    }

    @Test
    void kafkaTopicIsIngestedWithTopicPartitionOffsetAsSource(@TempDir Path dir) throws Exception {
        SparkSession spark = TestSpark.get();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopic("clicks", 1);
            KafkaLines.send(kafka.bootstrapServers(), "clicks", List.of(
                    click("k1", "u1", "2024-05-01T10:00:00Z", "click"),
                    "{\"event_id\": 12",
                    click("k1", "u1", "2024-05-01T10:00:00Z", "click"),
                    click("k2", "u2", "2024-05-01T10:00:05Z", "click")));
            IngestApp.Options options = IngestApp.Options.of(BuiltinSchemas.resolve("clickstream", null, null),
                    RecordFormat.JSON_LINES, dir.resolve("lake").toUri(), "kclicks");
            IngestApp.start(spark, RawInput.kafka(spark, kafka.bootstrapServers(), "clicks", 0, OnDataLoss.FAIL), options,
                    Trigger.AvailableNow()).awaitTermination();
            assertEquals(List.of("[k1]", "[k2]"), rows(spark, options.tablePath(), "event_id", "event_id"));
            assertEquals(List.of("[clicks/0@1,unparsable JSON]"),
                    rows(spark, options.quarantinePath(), "source;reason", "source"));
        }
    }

    @Test
    void realApacheLogParsesCompletely(@TempDir Path dir) throws Exception {
        SparkSession spark = TestSpark.get();
        Path in = Files.createDirectories(dir.resolve("in"));
        Path log = Path.of(System.getProperty("user.dir")).resolve("src/main/resources/sample/apache_logs/apache_logs");
        Files.copy(log, in.resolve("apache_logs"));
        long lines = Files.readAllLines(log).stream().filter(l -> !l.isBlank()).count();
        IngestApp.Options options = IngestApp.Options.of(BuiltinSchemas.resolve("apache-log", null, null),
                RecordFormat.APACHE_LOG, dir.resolve("lake").toUri(), "access")
                .withValidation(io.streampatterns.quarantine.Validation.ValidationOptions.defaults()
                        .withMaxFuture(java.time.Duration.ofDays(1)));
        runOnce(spark, in, options);
        long good = spark.read().format("delta").load(options.tablePath().toString()).count();
        List<Row> bad = spark.read().format("delta").load(options.quarantinePath().toString()).collectAsList();
        assertEquals(10_000, lines);
        assertEquals(lines, good + bad.size(), "every line ingested or quarantined");
        for (Row r : bad) {
            assertEquals(false, r.<String>getAs("reason").isEmpty());
        }
        assertEquals(List.of("[2015-05-17,2015-05-20]"),
                rows(spark, options.tablePath(), "cast(min(event_date) as string) as lo;cast(max(event_date) as string) as hi", "lo"));
    }

    @Test
    void configurationErrorsExitWithCode2() {
        assertEquals(2, Cli.execute(new IngestCommand(), "--input", "/no/such/dir", "--format", "jsonl",
                "--schema", "clickstream", "--lake", "/tmp/x", "--table", "t", "--once"));
        assertEquals(2, Cli.execute(new IngestCommand(), "--input", "/tmp", "--format", "xml",
                "--schema", "clickstream", "--lake", "/tmp/x", "--table", "t"));
        assertEquals(2, Cli.execute(new IngestCommand(), "--input", "/tmp", "--format", "jsonl",
                "--schema", "clickstream", "--lake", "/tmp/x", "--table", "t", "--watermark", "soon"));
        assertEquals(2, Cli.execute(new IngestCommand(), "--input", "/tmp", "--format", "jsonl", "--schema", "clickstream",
                "--lake", "/tmp/x", "--table", "t", "--warehouse", "jdbc:postgresql://127.0.0.1:1/none"));
    }

    static List<String> query(PostgresServer pg, String sql) throws Exception {
        return pg.rows(sql);
    }
}
