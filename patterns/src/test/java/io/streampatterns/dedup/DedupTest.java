package io.streampatterns.dedup;

import io.streampatterns.core.EventTime;
import io.streampatterns.testkit.Rows;
import io.streampatterns.testkit.StreamScenario;
import io.streampatterns.testkit.TestSpark;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.streampatterns.testkit.Rows.row;
import static io.streampatterns.testkit.Rows.ts;
import static org.junit.jupiter.api.Assertions.assertEquals;

class DedupTest {
    static final StructType EVENTS = new StructType()
            .add("event_id", DataTypes.StringType)
            .add("ts", DataTypes.TimestampType)
            .add("reason", DataTypes.StringType)
            .add("source", DataTypes.StringType);

    static StreamScenario scenario() {
        return StreamScenario.of(TestSpark.get(), EVENTS,
                in -> Dedup.of(Dedup.Options.of("event_id", EventTime.of("ts", Duration.ofMinutes(10)))).apply(in)
                        .selectExpr("event_id", "cast(ts as string) as ts", "reason", "source"));
    }

    @Test
    void duplicateWithinWatermarkIsDroppedAcrossBatches() {
        try (StreamScenario s = scenario().start()) {
            assertEquals(List.of("[e1,2024-05-01 10:00:00,null,f:1]", "[e2,2024-05-01 10:01:00,null,f:3]"),
                    Rows.sorted(s.send(row("e1", ts("10:00"), null, "f:1"), row("e1", ts("10:00"), null, "f:2"),
                            row("e2", ts("10:01"), null, "f:3")).rows()));
            StreamScenario.Step second = s.send(row("e1", ts("10:05"), null, "f:4"), row("e3", ts("10:06"), null, "f:5"));
            assertEquals(List.of("[e3,2024-05-01 10:06:00,null,f:5]"), Rows.sorted(second.rows()));
            assertEquals(3, second.stateRows(), "one chunk of ids per bucket that received ids (e1, e2, e3: three buckets)");
        }
    }

    @Test
    void quarantinedRowsBypassDedupEvenWithSameId() {
        try (StreamScenario s = scenario().start()) {
            assertEquals(List.of("[e1,2024-05-01 10:00:00,null,f:1]", "[e1,null,bad ts,f:2]", "[null,null,unparsable JSON,f:3]"),
                    Rows.sorted(s.send(row("e1", ts("10:00"), null, "f:1"), row("e1", null, "bad ts", "f:2"),
                            row(null, null, "unparsable JSON", "f:3")).rows()));
        }
    }

    @Test
    void lateRowIsKeptNotDroppedAndIdsExpireAfterWatermark() {
        try (StreamScenario s = scenario().start()) {
            s.send(row("e1", ts("10:00"), null, "f:1"));
            StreamScenario.Step jump = s.send(row("e9", ts("11:00"), null, "f:2"));
            assertEquals("2024-05-01T10:50:00.000Z", jump.watermark());
            assertEquals(1, jump.stateRows(), "e1's chunk deleted once the watermark passed 10:10; e9's chunk left");
            // e1 expired at 10:10 (< watermark 10:50): a new copy now passes; a late new id passes too, never dropped
            StreamScenario.Step late = s.send(row("e1", ts("10:00"), null, "f:3"), row("e5", ts("09:00"), null, "f:4"),
                    row("e5", ts("09:00"), null, "f:5"));
            assertEquals(List.of("[e1,2024-05-01 10:00:00,null,f:3]", "[e5,2024-05-01 09:00:00,null,f:4]"),
                    Rows.sorted(late.rows()));
            assertEquals(0, late.droppedLate());
        }
    }

    @Test
    void idCountsAsUnseenOnceWatermarkPassesItsWindowEvenBeforeItsBucketIsSwept() {
        try (StreamScenario s = scenario().start()) {
            s.send(row("e1", ts("10:01"), null, "f:1"));
            // watermark 10:12 > 10:11 (e1's window end), before the 10:15 sweep of e1's bucket
            assertEquals("2024-05-01T10:12:00.000Z", s.send(row("e9", ts("10:22"), null, "f:2")).watermark());
            assertEquals(List.of("[e1,2024-05-01 10:01:00,null,f:3]"),
                    Rows.sorted(s.send(row("e1", ts("10:01"), null, "f:3"), row("e1", ts("10:01"), null, "f:4")).rows()));
            assertEquals(List.of(), s.send(row("e9", ts("10:20"), null, "f:5")).rows(), "e9 still remembered");
        }
    }
}
