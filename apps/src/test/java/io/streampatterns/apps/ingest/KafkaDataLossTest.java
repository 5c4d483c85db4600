package io.streampatterns.apps.ingest;

import io.streampatterns.apps.cli.Cli;
import io.streampatterns.apps.kafka.EmbeddedKafka;
import io.streampatterns.apps.kafka.KafkaLines;
import io.streampatterns.testkit.TestSpark;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15, Kafka faults: records deleted from the topic past the checkpointed offsets, before the query read them,
 * fail the next run with one line that says so and the ways on (nothing skipped, the lake unchanged); with
 * {@code --on-data-loss skip} the run goes on with what is left.
 */
class KafkaDataLossTest {
    @Test
    void recordsGoneBeforeTheyWereReadFailTheRunUnlessSkippingIsChosen(@TempDir Path dir) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopic("clicks", 1);
            KafkaLines.send(kafka.bootstrapServers(), "clicks", clicks(0, 5));
            Path lake = dir.resolve("lake");
            assertEquals(0, ingest(kafka, lake).code);
            assertEquals(5, lakeRows(lake));

            KafkaLines.send(kafka.bootstrapServers(), "clicks", clicks(5, 10));
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                admin.deleteRecords(Map.of(new TopicPartition("clicks", 0), RecordsToDelete.beforeOffset(8))).all().get();
            }
            Result lost = ingest(kafka, lake);
            assertEquals(1, lost.code, lost.err);
            assertTrue(lost.err.startsWith("failed: Kafka records were deleted or aged out before this query read them"
                    + " (KAFKA_DATA_LOSS."), lost.err);
            assertTrue(lost.err.contains("clicks-0") && lost.err.contains("--on-data-loss skip"), lost.err);
            assertEquals(1, lost.err.strip().lines().count(), lost.err);
            assertEquals(5, lakeRows(lake), "nothing written by the failed run");

            Result skipped = ingest(kafka, lake, "--on-data-loss", "skip");
            assertEquals(0, skipped.code, skipped.err);
            assertEquals(List.of("e0", "e1", "e2", "e3", "e4", "e8", "e9"), lakeIds(lake), "offsets 5-7 skipped, 8-9 read");
        }
    }

    private static Result ingest(EmbeddedKafka kafka, Path lake, String... extra) {
        List<String> args = new ArrayList<>(List.of("--kafka", kafka.bootstrapServers(), "--topic", "clicks",
                "--format", "jsonl", "--schema", "clickstream", "--lake", lake.toString(), "--table", "clicks", "--once"));
        args.addAll(List.of(extra));
        StringWriter err = new StringWriter();
        CommandLine cl = Cli.commandLine(new IngestCommand());
        cl.setErr(new PrintWriter(err));
        return new Result(cl.execute(args.toArray(new String[0])), err.toString());
    }

    private static List<String> clicks(int from, int to) {
        return IntStream.range(from, to)
                .mapToObj(i -> IngestAppTest.click("e" + i, "u" + i, "2024-05-01T10:00:0" + (i % 10) + "Z", "click")).toList();
    }

    private static long lakeRows(Path lake) {
        return TestSpark.get().read().format("delta").load(lake.resolve("clicks").toString()).count();
    }

    private static List<String> lakeIds(Path lake) {
        return TestSpark.get().read().format("delta").load(lake.resolve("clicks").toString()).orderBy("event_id")
                .select("event_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    }

    private record Result(int code, String err) {
    }
}
