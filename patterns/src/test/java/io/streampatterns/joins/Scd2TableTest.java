package io.streampatterns.joins;

import io.streampatterns.testkit.TestSpark;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.streampatterns.testkit.Rows.row;
import static io.streampatterns.testkit.Rows.ts;
import static org.junit.jupiter.api.Assertions.assertEquals;

class Scd2TableTest {
    static final StructType CHANGES = new StructType()
            .add("merchant", DataTypes.StringType).add("changed_at", DataTypes.TimestampType)
            .add("op", DataTypes.StringType).add("name", DataTypes.StringType);

    @TempDir
    Path dir;

    Scd2Table.Options options() {
        return Scd2Table.Options.of(dir.resolve("scd2").toString(), "merchant", "changed_at");
    }

    void merge(Row... changes) {
        SparkSession spark = TestSpark.get();
        Scd2Table.merge(spark.createDataFrame(List.of(changes), CHANGES), options());
    }

    List<String> table() {
        return TestSpark.get().read().format("delta").load(options().path())
                .orderBy("merchant", "valid_from").collectAsList().stream().map(Row::toString).toList();
    }

    @Test
    void versionsGetValidityRangesAndOnlyTheLatestIsCurrent() {
        merge(row("m1", ts("10:00"), "upsert", "A1"), row("m1", ts("10:05"), "upsert", "A2"),
                row("m2", ts("10:01"), "upsert", "B1"));
        assertEquals(List.of(
                "[m1,A1,2024-05-01 10:00:00.0,2024-05-01 10:05:00.0,false]",
                "[m1,A2,2024-05-01 10:05:00.0,null,true]",
                "[m2,B1,2024-05-01 10:01:00.0,null,true]"), table());

        merge(row("m1", ts("10:10"), "upsert", "A3"));
        assertEquals(List.of(
                "[m1,A1,2024-05-01 10:00:00.0,2024-05-01 10:05:00.0,false]",
                "[m1,A2,2024-05-01 10:05:00.0,2024-05-01 10:10:00.0,false]",
                "[m1,A3,2024-05-01 10:10:00.0,null,true]",
                "[m2,B1,2024-05-01 10:01:00.0,null,true]"), table());
    }

    @Test
    void deleteClosesTheCurrentVersionAndLeavesNoCurrentRow() {
        merge(row("m1", ts("10:00"), "upsert", "A1"));
        merge(row("m1", ts("10:07"), "delete", null));
        assertEquals(List.of("[m1,A1,2024-05-01 10:00:00.0,2024-05-01 10:07:00.0,false]"), table());

        // re-created later, and a change arriving out of order before the delete: the delete stays in place
        merge(row("m1", ts("10:20"), "upsert", "A2"), row("m1", ts("10:03"), "upsert", "A1b"));
        assertEquals(List.of(
                "[m1,A1,2024-05-01 10:00:00.0,2024-05-01 10:03:00.0,false]",
                "[m1,A1b,2024-05-01 10:03:00.0,2024-05-01 10:07:00.0,false]",
                "[m1,A2,2024-05-01 10:20:00.0,null,true]"), table());
    }

    @Test
    void outOfOrderChangeInALaterBatchIsSlottedInAndReplayingABatchChangesNothing() {
        merge(row("m1", ts("10:00"), "upsert", "A1"), row("m1", ts("10:10"), "upsert", "A3"));
        Row[] late = {row("m1", ts("10:05"), "upsert", "A2")};
        merge(late);
        List<String> expected = List.of(
                "[m1,A1,2024-05-01 10:00:00.0,2024-05-01 10:05:00.0,false]",
                "[m1,A2,2024-05-01 10:05:00.0,2024-05-01 10:10:00.0,false]",
                "[m1,A3,2024-05-01 10:10:00.0,null,true]");
        assertEquals(expected, table());
        merge(late);
        assertEquals(expected, table());
    }

    @Test
    void deleteAtTheSameTimeAsAStoredVersionReplacesIt() {
        merge(row("m1", ts("10:00"), "upsert", "A1"), row("m1", ts("10:05"), "upsert", "A2"));
        merge(row("m1", ts("10:05"), "delete", null));
        assertEquals(List.of("[m1,A1,2024-05-01 10:00:00.0,2024-05-01 10:05:00.0,false]"), table());
    }
}
