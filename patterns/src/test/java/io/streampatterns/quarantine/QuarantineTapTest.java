package io.streampatterns.quarantine;

import io.streampatterns.testkit.TestSpark;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuarantineTapTest {
    private static final StructType VALIDATED = new StructType().add("id", DataTypes.StringType)
            .add(Validation.RAW, DataTypes.StringType).add(Validation.SOURCE, DataTypes.StringType)
            .add(Validation.REASON, DataTypes.StringType);
    private final SparkSession spark = TestSpark.get();

    private Dataset<Row> validated(int good, int bad) {
        List<Row> rows = new ArrayList<>();
        for (int i = 1; i <= good + bad; i++) {
            boolean isBad = i > good;
            rows.add(RowFactory.create(isBad ? null : "e" + i, "line " + i, "f.jsonl:" + i, isBad ? "bad " + i : null));
        }
        return spark.createDataFrame(rows, VALIDATED).repartition(3);
    }

    private static List<String> show(Dataset<Row> quarantine) {
        return quarantine.collectAsList().stream()
                .map(r -> r.getAs(Validation.SOURCE) + " " + r.getAs(Validation.RAW) + " / " + r.getAs(Validation.REASON))
                .sorted().collect(Collectors.toList());
    }

    @Test
    void goodRecordsPassAndQuarantinedOnesAreCapturedForTheSink() {
        QuarantineTap tap = QuarantineTap.register(spark, "test");
        List<String> ids = tap.good(validated(3, 2)).collectAsList().stream().map(r -> r.getString(0)).sorted()
                .collect(Collectors.toList());
        assertEquals(List.of("e1", "e2", "e3"), ids);
        assertEquals(List.of("f.jsonl:4 line 4 / bad 4", "f.jsonl:5 line 5 / bad 5"),
                show(tap.drain(spark, QuarantineTap.Reread.unsupported())));
        assertEquals(List.of(), show(tap.drain(spark, QuarantineTap.Reread.unsupported())), "a drain clears the tap");
    }

    @Test
    void aRecordThatPassesTheTapTwiceIsQuarantinedOnce() {
        QuarantineTap tap = QuarantineTap.register(spark, "test");
        Dataset<Row> good = tap.good(validated(1, 3));
        assertEquals(1, good.count());
        assertEquals(1, good.count()); // evaluated again, as a retried task would
        assertEquals(3, show(tap.drain(spark, QuarantineTap.Reread.unsupported())).size());
    }

    @Test
    void pastItsMemoryLimitTheTapReadsTheRestAgainAtTheBatchTime() {
        QuarantineTap tap = QuarantineTap.register(spark, "test", 400); // room for two or three records
        assertEquals(2, tap.good(validated(2, 10)).count());
        Map<String, long[]> asked = new TreeMap<>();
        Instant[] at = new Instant[1];
        Dataset<Row> bad = tap.drain(spark, (ranges, now) -> {
            asked.putAll(ranges);
            at[0] = now;
            return validated(2, 10); // the input read again: its bad records, some of which the tap kept
        });
        List<String> all = show(bad);
        assertEquals(10, all.size(), all.toString());
        assertEquals(10, all.stream().distinct().count());
        long[] range = asked.get("f.jsonl");
        assertTrue(range[0] >= 3 && range[1] <= 12 && range[0] < range[1], "lines read again: " + range[0] + "-" + range[1]);
        assertTrue(Math.abs(at[0].toEpochMilli() - System.currentTimeMillis()) < 600_000, "the batch's time: " + at[0]);
    }

    @Test
    void sourcesOfFilesAndKafkaPartitionsSplitIntoOriginAndPosition() {
        CapturedRecords.Origin file = CapturedRecords.Origin.of("file:/tmp/a@b/c.jsonl:17");
        assertEquals("file:/tmp/a@b/c.jsonl", file.name);
        assertEquals(17, file.position);
        CapturedRecords.Origin kafka = CapturedRecords.Origin.of("clicks/3@42");
        assertEquals("clicks/3", kafka.name);
        assertEquals(42, kafka.position);
    }
}
