package io.streampatterns.joins;

import io.streampatterns.core.EventTime;
import io.streampatterns.testkit.Rows;
import io.streampatterns.testkit.StreamScenario.Step;
import io.streampatterns.testkit.TestSpark;
import io.streampatterns.testkit.TwoStreamScenario;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.streampatterns.testkit.Rows.row;
import static io.streampatterns.testkit.Rows.ts;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TemporalJoinTest {
    static final StructType TRANSACTIONS = new StructType()
            .add("merchant", DataTypes.StringType).add("ts", DataTypes.TimestampType).add("amount", DataTypes.DoubleType);
    static final StructType CHANGES = new StructType()
            .add("merchant", DataTypes.StringType).add("changed_at", DataTypes.TimestampType)
            .add("op", DataTypes.StringType).add("name", DataTypes.StringType).add("risk", DataTypes.StringType);

    static TwoStreamScenario scenario() {
        TemporalJoin.Options o = TemporalJoin.Options.of("merchant", EventTime.of("ts", Duration.ofMinutes(5)),
                EventTime.of("changed_at", Duration.ofMinutes(5)));
        return TwoStreamScenario.of(TestSpark.get(), TRANSACTIONS, CHANGES,
                (facts, changes) -> TemporalJoin.of(changes, o).apply(facts)).start();
    }

    @Test
    void factWaitsForTheWatermarkAndJoinsTheVersionValidAtItsTimeIncludingALateChange() {
        try (TwoStreamScenario s = scenario()) {
            Step first = s.send(List.of(row("m1", ts("10:02"), 10.0), row("m1", ts("09:58"), 5.0)),
                    List.of(row("m1", ts("10:00"), "upsert", "Shop A", "low")));
            assertEquals(List.of(), first.rows());
            assertEquals("2024-05-01T09:55:00.000Z", first.watermark());

            // a change at 10:03 arrives after the 10:04 fact, but inside the watermark: the fact must see it
            Step second = s.send(List.of(row("m1", ts("10:04"), 20.0)),
                    List.of(row("m1", ts("10:03"), "upsert", "Shop A2", "high")));
            assertEquals(List.of(), second.rows());
            assertEquals("2024-05-01T09:58:00.000Z", second.watermark());

            Step third = s.send(List.of(row("m2", ts("10:20"), 1.0)),
                    List.of(row("m2", ts("10:20"), "upsert", "Shop B", "low")));
            assertEquals("2024-05-01T10:15:00.000Z", third.watermark());
            assertEquals(List.of(
                    "[m1,2024-05-01 09:58:00.0,5.0,null,null,null,null]",
                    "[m1,2024-05-01 10:02:00.0,10.0,2024-05-01 10:00:00.0,upsert,Shop A,low]",
                    "[m1,2024-05-01 10:04:00.0,20.0,2024-05-01 10:03:00.0,upsert,Shop A2,high]"), Rows.sorted(third.rows()));
        }
    }

    @Test
    void deleteEndsTheVersionSoLaterFactsGetNullsUntilTheNextUpsert() {
        try (TwoStreamScenario s = scenario()) {
            Step first = s.send(List.of(row("m1", ts("10:01"), 1.0), row("m1", ts("10:06"), 2.0), row("m1", ts("10:09"), 3.0)),
                    List.of(row("m1", ts("10:00"), "upsert", "Shop A", "low"),
                            row("m1", ts("10:05"), "DELETE", null, null),
                            row("m1", ts("10:08"), "upsert", "Shop A reopened", "mid")));
            // watermark min(10:09, 10:08) - 5m = 10:03 has passed 10:01 only
            assertEquals("2024-05-01T10:03:00.000Z", first.watermark());
            assertEquals(List.of("[m1,2024-05-01 10:01:00.0,1.0,2024-05-01 10:00:00.0,upsert,Shop A,low]"),
                    Rows.sorted(first.rows()));
            Step passed = s.send(List.of(row("m9", ts("10:30"), 0.0)), List.of(row("m9", ts("10:30"), "upsert", "x", "y")));
            assertEquals(List.of(
                    "[m1,2024-05-01 10:06:00.0,2.0,null,null,null,null]",
                    "[m1,2024-05-01 10:09:00.0,3.0,2024-05-01 10:08:00.0,upsert,Shop A reopened,mid]"),
                    Rows.sorted(passed.rows()));
        }
    }

    @Test
    void versionsOlderThanTheWatermarkArePrunedKeepingTheOneStillValid() {
        // state rows = dimension versions + one row per key with waiting facts
        try (TwoStreamScenario s = scenario()) {
            Step first = s.send(List.of(row("m1", ts("10:04"), 1.0)),
                    List.of(row("m1", ts("10:00"), "upsert", "A1", "low"), row("m1", ts("10:03"), "upsert", "A2", "low"),
                            row("m2", ts("10:00"), "upsert", "B1", "low"), row("m2", ts("10:02"), "delete", null, null)));
            assertEquals(5, first.stateRows());

            // watermark 10:15: m1 keeps only A2 (valid from 10:03 on), m2's last version is a delete: nothing left
            Step second = s.send(List.of(row("m3", ts("10:20"), 2.0)), List.of(row("m3", ts("10:20"), "upsert", "C1", "low")));
            assertEquals("2024-05-01T10:15:00.000Z", second.watermark());
            assertEquals(List.of("[m1,2024-05-01 10:04:00.0,1.0,2024-05-01 10:03:00.0,upsert,A2,low]"),
                    Rows.sorted(second.rows()));
            assertEquals(3, second.stateRows());

            // the kept version still serves facts long after it started
            s.send(List.of(row("m1", ts("10:25"), 3.0)), List.of());
            Step third = s.send(List.of(row("m3", ts("10:40"), 4.0)), List.of(row("m3", ts("10:40"), "upsert", "C2", "low")));
            assertEquals(List.of(
                    "[m1,2024-05-01 10:25:00.0,3.0,2024-05-01 10:03:00.0,upsert,A2,low]",
                    "[m3,2024-05-01 10:20:00.0,2.0,2024-05-01 10:20:00.0,upsert,C1,low]"), Rows.sorted(third.rows()));
        }
    }

    @Test
    void factsAndChangesOlderThanTheWatermarkAreDroppedAsLate() {
        try (TwoStreamScenario s = scenario()) {
            s.send(List.of(row("m1", ts("10:20"), 1.0)), List.of(row("m1", ts("10:20"), "upsert", "A1", "low")));
            Step late = s.send(List.of(row("m1", ts("10:10"), 2.0)), List.of(row("m1", ts("10:12"), "upsert", "A0", "low")));
            assertEquals(2, late.droppedLate());
            Step passed = s.send(List.of(row("m1", ts("10:40"), 3.0)), List.of(row("m1", ts("10:40"), "upsert", "A2", "low")));
            assertEquals(List.of("[m1,2024-05-01 10:20:00.0,1.0,2024-05-01 10:20:00.0,upsert,A1,low]"),
                    Rows.sorted(passed.rows()));
        }
    }

    @Test
    void factWithNullKeyPassesAtOnceWithNullDimensionColumns() {
        try (TwoStreamScenario s = scenario()) {
            Step step = s.send(List.of(row(null, ts("10:00"), 1.0)), List.of(row("m1", ts("09:00"), "upsert", "A", "low")));
            assertEquals(List.of("[null,2024-05-01 10:00:00.0,1.0,null,null,null,null]"), Rows.sorted(step.rows()));
        }
    }

    @Test
    void waitingFactsAndVersionsSurviveARestart() {
        try (TwoStreamScenario s = scenario()) {
            s.send(List.of(row("m1", ts("10:02"), 1.0)), List.of(row("m1", ts("10:00"), "upsert", "A1", "low")));
            s.restart();
            Step passed = s.send(List.of(row("m2", ts("10:30"), 2.0)), List.of(row("m2", ts("10:30"), "upsert", "B", "low")));
            assertEquals(List.of("[m1,2024-05-01 10:02:00.0,1.0,2024-05-01 10:00:00.0,upsert,A1,low]"),
                    Rows.sorted(passed.rows()));
        }
    }
}
