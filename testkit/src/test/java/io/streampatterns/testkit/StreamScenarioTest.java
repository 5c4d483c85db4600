package io.streampatterns.testkit;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.streampatterns.testkit.Rows.row;
import static io.streampatterns.testkit.Rows.ts;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.window;
import static org.junit.jupiter.api.Assertions.assertEquals;

class StreamScenarioTest {
    static final StructType EVENTS = new StructType()
            .add("user", DataTypes.StringType)
            .add("ts", DataTypes.TimestampType);

    /** Tumbling 10-minute count per user with a 5-minute watermark, the plain Spark way. */
    static Dataset<Row> tenMinuteCounts(Dataset<Row> in) {
        Dataset<Row> w = in.withWatermark("ts", "5 minutes");
        return w.groupBy(w.col("user"), window(w.col("ts"), "10 minutes"))
                .agg(count("*").alias("n"))
                .selectExpr("user", "cast(window.start as string) as start", "n");
    }

    @Test
    void windowIsEmittedOnceWatermarkPassesItsEndAndLateRowsAreCounted() {
        try (StreamScenario s = StreamScenario.of(TestSpark.get(), EVENTS, StreamScenarioTest::tenMinuteCounts)
                .mode("append").start()) {
            StreamScenario.Step first = s.send(row("u1", ts("10:01")), row("u1", ts("10:04")));
            assertEquals(List.of(), first.rows());
            assertEquals(1, first.stateRows());
            assertEquals("2024-05-01T09:59:00.000Z", first.watermark());

            StreamScenario.Step second = s.send(row("u1", ts("10:16")));
            assertEquals(List.of("[u1,2024-05-01 10:00:00,2]"), Rows.sorted(second.rows()));
            assertEquals("2024-05-01T10:11:00.000Z", second.watermark());
            assertEquals(1, second.stateRows());

            StreamScenario.Step late = s.send(row("u1", ts("10:02")));
            assertEquals(List.of(), late.rows());
            assertEquals(1, late.droppedLate());

            s.restart();
            StreamScenario.Step afterRestart = s.send(row("u1", ts("10:31")));
            assertEquals(List.of("[u1,2024-05-01 10:10:00,1]"), Rows.sorted(afterRestart.rows()));
            assertEquals(2, s.allRows().size());
        }
    }
}
