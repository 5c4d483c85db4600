package io.streampatterns.apps.kafka;

import io.streampatterns.testkit.TestSpark;
import org.apache.kafka.common.utils.Utils;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Lines produced to the embedded broker, read back by Spark's Kafka source with {@code Trigger.AvailableNow}. */
class KafkaSparkSourceTest {
    private static final int PARTITIONS = 2;
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void availableNowReadsEveryLineOnceWithItsPartitionAndOffset(@TempDir Path tmp) throws Exception {
        kafka.createTopic("lines", PARTITIONS);
        assertEquals(1000, KafkaLines.send(kafka.bootstrapServers(), "lines", lines(0, 1000), KafkaSparkSourceTest::keyOf));

        long[] nextOffset = new long[PARTITIONS];
        List<String> expected = expectedRows(lines(0, 1000), nextOffset);
        assertTrue(nextOffset[0] > 0 && nextOffset[1] > 0, "keys spread over both partitions");

        SortedMap<Long, List<String>> batches = runAvailableNow("lines", tmp.resolve("ckpt"));
        assertEquals(Set.of(0L), batches.keySet());
        assertEquals(sorted(expected), sorted(batches.get(0L)));
    }

    @Test
    void restartFromCheckpointReadsOnlyTheLinesProducedSinceTheLastRun(@TempDir Path tmp) throws Exception {
        kafka.createTopic("restart", PARTITIONS);
        Path checkpoint = tmp.resolve("ckpt");
        long[] nextOffset = new long[PARTITIONS];
        KafkaLines.send(kafka.bootstrapServers(), "restart", lines(0, 1000), KafkaSparkSourceTest::keyOf);
        List<String> firstExpected = expectedRows(lines(0, 1000), nextOffset);
        SortedMap<Long, List<String>> first = runAvailableNow("restart", checkpoint);
        assertEquals(Set.of(0L), first.keySet());
        assertEquals(sorted(firstExpected), sorted(first.get(0L)));

        Path file = tmp.resolve("more.txt");
        Files.write(file, lines(1000, 1010), StandardCharsets.UTF_8);
        assertEquals(10, KafkaLines.sendFile(kafka.bootstrapServers(), "restart", file, KafkaSparkSourceTest::keyOf));
        List<String> secondExpected = expectedRows(lines(1000, 1010), nextOffset);

        SortedMap<Long, List<String>> second = runAvailableNow("restart", checkpoint);
        assertEquals(Set.of(1L), second.keySet());
        assertEquals(sorted(secondExpected), sorted(second.get(1L)));
    }

    /** Runs the Kafka source to the current end of {@code topic} and returns the rows of each micro-batch. */
    private static SortedMap<Long, List<String>> runAvailableNow(String topic, Path checkpoint) throws Exception {
        SortedMap<Long, List<String>> batches = new ConcurrentSkipListMap<>();
        VoidFunction2<Dataset<Row>, Long> capture = (batch, batchId) -> batches.put(batchId,
                batch.collectAsList().stream().map(Row::toString).collect(Collectors.toList()));
        StreamingQuery query = TestSpark.get().readStream().format("kafka")
                .option("kafka.bootstrap.servers", kafka.bootstrapServers())
                .option("subscribe", topic)
                .option("startingOffsets", "earliest")
                .load()
                .selectExpr("CAST(key AS STRING) AS key", "CAST(value AS STRING) AS value", "partition", "offset")
                .writeStream()
                .option("checkpointLocation", checkpoint.toString())
                .trigger(Trigger.AvailableNow())
                .foreachBatch(capture)
                .start();
        query.awaitTermination();
        return batches;
    }

    private static List<String> lines(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> String.format("line-%04d", i)).collect(Collectors.toList());
    }

    private static String keyOf(String line) {
        return "user-" + Integer.parseInt(line.substring(5)) % 10;
    }

    /**
     * The rows {@code [key,value,partition,offset]} Kafka must hold for {@code lines} sent in order by one
     * producer: the default partitioner puts a key on murmur2(key) mod partitions, and each partition numbers
     * its records from {@code nextOffset[p]} on (advanced here).
     */
    private static List<String> expectedRows(List<String> lines, long[] nextOffset) {
        List<String> rows = new ArrayList<>();
        for (String line : lines) {
            String key = keyOf(line);
            int p = Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % nextOffset.length;
            rows.add("[" + key + "," + line + "," + p + "," + nextOffset[p]++ + "]");
        }
        return rows;
    }

    private static List<String> sorted(List<String> rows) {
        return rows.stream().sorted().collect(Collectors.toList());
    }
}
