package io.streampatterns.apps.ingest;

import io.streampatterns.apps.cli.Cli;
import io.streampatterns.apps.kafka.EmbeddedKafka;
import io.streampatterns.apps.kafka.TopicContents;
import io.streampatterns.apps.search.SharedSearch;
import io.streampatterns.quarantine.RecordFormat;
import io.streampatterns.sink.kafka.KafkaTarget;
import io.streampatterns.sink.search.SearchTarget;
import io.streampatterns.testkit.InputFiles;
import io.streampatterns.testkit.TestSpark;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import static io.streampatterns.apps.ingest.IngestAppTest.click;
import static io.streampatterns.apps.ingest.IngestAppTest.runOnce;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ingest} into a real OpenSearch node ({@code --search --index}) and a Kafka topic ({@code --to-kafka
 * --to-topic}): exact documents and records for good, duplicate and bad input, queries by field, replays, and a
 * mapping conflict.
 */
class HighwayIngestTest {
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    private static Path input(Path dir) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        InputFiles.write(in.resolve("a.jsonl"), List.of(
                click("e1", "u1", "2024-05-01T10:00:00Z", "page_view"),
                click("e2", "u2", "2024-05-01T23:59:59.250Z", "click"),
                click("e1", "u1", "2024-05-01T10:00:00Z", "page_view"),
                "{\"event_id\":\"e3\",\"user_id\":\"u3\"",
                click("e4", "u4", "not-a-time", "click")));
        InputFiles.write(in.resolve("b.jsonl"), List.of(
                click("e2", "u2", "2024-05-01T23:59:59.250Z", "click"),
                click("e5", "u5", "2024-05-02T00:00:01Z", "purchase").replace("}", ",\"amount\":-1}"),
                click("e6", "u6", "2024-05-02T00:00:02Z", "purchase").replace("}", ",\"amount\":12.5,\"page\":\"/checkout/pay now\"}")));
        return in;
    }

    private static final List<String> GOOD_DOCUMENTS = List.of(
            "e1 {\"event_id\":\"e1\",\"user_id\":\"u1\",\"ts\":\"2024-05-01T10:00:00.000000Z\",\"type\":\"page_view\"}",
            "e2 {\"event_id\":\"e2\",\"user_id\":\"u2\",\"ts\":\"2024-05-01T23:59:59.250000Z\",\"type\":\"click\"}",
            "e6 {\"event_id\":\"e6\",\"user_id\":\"u6\",\"ts\":\"2024-05-02T00:00:02.000000Z\",\"type\":\"purchase\","
                    + "\"page\":\"/checkout/pay now\",\"amount\":12.5}");

    @Test
    void goodRecordsAreIndexedOnceWithExactDocumentsAndSearchableByField(@TempDir Path dir) throws Exception {
        SparkSession spark = TestSpark.get();
        Path in = input(dir);
        IngestApp.Options options = IngestApp.Options.of(BuiltinSchemas.resolve("clickstream", null, null),
                        RecordFormat.JSON_LINES, dir.resolve("lake").toUri(), "clicks")
                .withSearch(SearchTarget.of(SharedSearch.url(), "clicks-exact", "event_id"));

        runOnce(spark, in, options);
        runOnce(spark, in, options);  // nothing new: resumes, writes nothing twice

        assertEquals(GOOD_DOCUMENTS, SharedSearch.documents("clicks-exact"), "good rows only, duplicates once, bad rows not");
        assertEquals(List.of("e2"), SharedSearch.ids("clicks-exact", "{\"term\":{\"user_id\":\"u2\"}}"));
        assertEquals(List.of("e2", "e6"), SharedSearch.ids("clicks-exact",
                "{\"range\":{\"ts\":{\"gte\":\"2024-05-01T12:00:00Z\"}}}"), "ts is a date");
        assertEquals(List.of("e6"), SharedSearch.ids("clicks-exact", "{\"match\":{\"page.text\":\"pay\"}}"), "full text on .text");
        assertEquals(List.of("e6"), SharedSearch.ids("clicks-exact", "{\"range\":{\"amount\":{\"gt\":10}}}"), "amount is a number");
        assertEquals("date", SharedSearch.call("GET", "/clicks-exact/_mapping", null)
                .path("clicks-exact").path("mappings").path("properties").path("ts").path("type").asText());
        assertEquals(3, IngestAppTest.rows(spark, options.quarantinePath(), "source", "source").size(), "bad rows stay in the lake");

        InputFiles.write(in.resolve("c.jsonl"), List.of(click("e7", "u7", "2024-05-02T00:05:00Z", "click"),
                click("e6", "u6", "2024-05-02T00:00:02Z", "purchase")));
        runOnce(spark, in, options);
        assertEquals(List.of("e1", "e2", "e6", "e7"), SharedSearch.ids("clicks-exact", "{\"match_all\":{}}"));
    }

    @Test
    void goodRecordsReachTheTopicOnceForReadCommittedConsumersAlsoWhenABatchIsReplayed(@TempDir Path dir) throws Exception {
        SparkSession spark = TestSpark.get();
        Path in = input(dir);
        IngestApp.Options options = IngestApp.Options.of(BuiltinSchemas.resolve("clickstream", null, null),
                        RecordFormat.JSON_LINES, dir.resolve("lake").toUri(), "clicks")
                .withKafka(KafkaTarget.of(kafka.bootstrapServers(), "clean-clicks"));

        runOnce(spark, in, options);
        // as if the process died after the Kafka commit of the last batch but before Spark recorded it
        deleteLastCommit(Path.of(options.checkpoint()).resolve("commits"));
        runOnce(spark, in, options);

        List<String> expected = GOOD_DOCUMENTS.stream().sorted().collect(Collectors.toList());
        assertEquals(expected, sorted(TopicContents.read(kafka.bootstrapServers(), "clean-clicks", true)),
                "key = event id, value = the row as JSON, each once");
        assertEquals(expected, sorted(TopicContents.read(kafka.bootstrapServers(), "clean-clicks", false)),
                "no aborted transaction either: the replay was skipped, not rewritten");
    }

    @Test
    void anIndexWhoseMappingConflictsWithTheSchemaIsAConfigurationError(@TempDir Path dir) throws Exception {
        SharedSearch.call("PUT", "/clicks-conflict", "{\"mappings\":{\"properties\":{\"ts\":{\"type\":\"long\"}}}}");
        Path in = input(dir);
        StringWriter err = new StringWriter();
        CommandLine cl = Cli.commandLine(new IngestCommand());
        cl.setErr(new PrintWriter(err, true));

        int code = cl.execute("--input", in.toString(), "--format", "jsonl", "--schema", "clickstream",
                "--lake", dir.resolve("lake").toString(), "--table", "clicks", "--once",
                "--search", SharedSearch.url(), "--index", "clicks-conflict");

        assertEquals(Cli.CONFIG_ERROR, code, err.toString());
        assertTrue(err.toString().startsWith("error: --index clicks-conflict: its mapping conflicts with the schema: "
                + "ts: the index maps it as long, the schema needs date"), err.toString());
    }

    @Test
    void searchAndKafkaOptionsComeInPairs() {
        assertEquals(Cli.CONFIG_ERROR, Cli.execute(new IngestCommand(), "--input", "/tmp", "--format", "jsonl",
                "--schema", "clickstream", "--lake", "/tmp/x", "--table", "t", "--search", "http://127.0.0.1:1"));
        assertEquals(Cli.CONFIG_ERROR, Cli.execute(new IngestCommand(), "--input", "/tmp", "--format", "jsonl",
                "--schema", "clickstream", "--lake", "/tmp/x", "--table", "t", "--to-kafka", "127.0.0.1:1"));
        assertEquals(Cli.CONFIG_ERROR, Cli.execute(new IngestCommand(), "--input", "/tmp", "--format", "jsonl",
                "--schema", "clickstream", "--lake", "/tmp/x", "--table", "t", "--search", "http://user:secret@127.0.0.1:1",
                "--index", "t"));
    }

    static void deleteLastCommit(Path commits) throws Exception {
        try (var files = Files.list(commits)) {
            Path last = files.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .max(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString()))).orElseThrow();
            Files.delete(last);
            Files.deleteIfExists(commits.resolve("." + last.getFileName() + ".crc"));
        }
    }

    static List<String> sorted(List<String> l) {
        return l.stream().sorted().collect(Collectors.toList());
    }
}
