package io.streampatterns.joins;

import io.streampatterns.core.ConfigException;
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
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StreamStreamJoinTest {
    static final StructType IMPRESSIONS = new StructType()
            .add("ad", DataTypes.StringType).add("ts", DataTypes.TimestampType).add("campaign", DataTypes.StringType);
    static final StructType CLICKS = new StructType()
            .add("ad", DataTypes.StringType).add("ts", DataTypes.TimestampType).add("click", DataTypes.StringType);

    static TwoStreamScenario scenario(String range, StreamStreamJoin.Type type) {
        EventTime ts = EventTime.of("ts", Duration.ofMinutes(5));
        StreamStreamJoin.Options o = StreamStreamJoin.Options.of("ad", ts, ts, TimeRange.parse(range, "range")).withType(type);
        return TwoStreamScenario.of(TestSpark.get(), IMPRESSIONS, CLICKS,
                (impressions, clicks) -> StreamStreamJoin.of(clicks, o).apply(impressions)).start();
    }

    @Test
    void outputIsKeyThenPrefixedColumnsOfEachSide() {
        try (TwoStreamScenario s = scenario("0s,10m", StreamStreamJoin.Type.INNER)) {
            Step step = s.send(List.of(row("a1", ts("10:00"), "c1")), List.of(row("a1", ts("10:03"), "k1")));
            assertArrayEquals(new String[]{"ad", "left_ts", "left_campaign", "right_ts", "right_click"},
                    step.rows().get(0).schema().fieldNames());
        }
    }

    @Test
    void innerJoinMatchesRightEventsInsideTheInclusiveRangeOnly() {
        try (TwoStreamScenario s = scenario("0s,10m", StreamStreamJoin.Type.INNER)) {
            Step first = s.send(List.of(row("a1", ts("10:00"), "c1"), row("a2", ts("10:01"), "c2")),
                    List.of(row("a1", ts("10:03"), "k1")));
            assertEquals(List.of("[a1,2024-05-01 10:00:00.0,c1,2024-05-01 10:03:00.0,k1]"), Rows.sorted(first.rows()));
            assertEquals("2024-05-01T09:56:00.000Z", first.watermark());

            Step second = s.sendRight(
                    row("a1", ts("10:10"), "upper-bound"),   // exactly left + 10m: matches
                    row("a1", ts("10:10:01"), "too-late"),   // just past the range
                    row("a1", ts("09:59"), "before"),        // before the impression
                    row("a2", ts("10:01"), "lower-bound"));  // exactly left + 0s: matches
            assertEquals(List.of(
                    "[a1,2024-05-01 10:00:00.0,c1,2024-05-01 10:10:00.0,upper-bound]",
                    "[a2,2024-05-01 10:01:00.0,c2,2024-05-01 10:01:00.0,lower-bound]"), Rows.sorted(second.rows()));
        }
    }

    @Test
    void negativeLowerBoundMatchesRightEventsBeforeTheLeftEvent() {
        try (TwoStreamScenario s = scenario("-1m,0s", StreamStreamJoin.Type.INNER)) {
            Step step = s.send(List.of(row("a1", ts("10:00"), "c1")),
                    List.of(row("a1", ts("09:59"), "k1"), row("a1", ts("09:58:59"), "k2"), row("a1", ts("10:00:01"), "k3")));
            assertEquals(List.of("[a1,2024-05-01 10:00:00.0,c1,2024-05-01 09:59:00.0,k1]"), Rows.sorted(step.rows()));
        }
    }

    @Test
    void stateIsEvictedOnceTheWatermarkPassesTheRange() {
        try (TwoStreamScenario s = scenario("0s,10m", StreamStreamJoin.Type.INNER)) {
            Step first = s.send(List.of(row("a1", ts("10:00"), "c1")), List.of(row("a1", ts("10:03"), "k1")));
            assertEquals(2, first.stateRows());
            // watermark = min(11:00, 11:30) - 5m = 10:55: both 10:0x rows can no longer match and are evicted
            Step far = s.send(List.of(row("z", ts("11:00"), "cz")), List.of(row("z", ts("11:30"), "kz")));
            assertEquals("2024-05-01T10:55:00.000Z", far.watermark());
            assertEquals(List.of(), far.rows());
            assertEquals(2, far.stateRows());
        }
    }

    @Test
    void leftOuterRowWithoutMatchIsEmittedWithNullsOnlyOnceTheWatermarkPassesItsRange() {
        try (TwoStreamScenario s = scenario("0s,10m", StreamStreamJoin.Type.LEFT_OUTER)) {
            Step first = s.send(List.of(row("a1", ts("10:00"), "c1"), row("a2", ts("10:02"), "c2")),
                    List.of(row("a1", ts("10:04"), "k1")));
            assertEquals(List.of("[a1,2024-05-01 10:00:00.0,c1,2024-05-01 10:04:00.0,k1]"), Rows.sorted(first.rows()));

            // watermark 10:11: a2 could still be matched by a click at 10:12
            Step notYet = s.send(List.of(row("x", ts("10:16"), "cx")), List.of(row("x", ts("10:17"), "kx")));
            assertEquals("2024-05-01T10:11:00.000Z", notYet.watermark());
            assertEquals(List.of("[x,2024-05-01 10:16:00.0,cx,2024-05-01 10:17:00.0,kx]"), Rows.sorted(notYet.rows()));

            // watermark 10:13 > 10:02 + 10m: a2 gets its null row, a1 (matched) does not
            Step passed = s.send(List.of(row("y", ts("10:18"), "cy")), List.of(row("y", ts("10:19"), "ky")));
            assertEquals("2024-05-01T10:13:00.000Z", passed.watermark());
            assertEquals(List.of(
                    "[a2,2024-05-01 10:02:00.0,c2,null,null]",
                    "[y,2024-05-01 10:18:00.0,cy,2024-05-01 10:19:00.0,ky]"), Rows.sorted(passed.rows()));
        }
    }

    @Test
    void rangeWithLowerAfterUpperIsAConfigError() {
        ConfigException e = assertThrows(ConfigException.class, () -> TimeRange.parse("10s,-5s", "--right-between"));
        assertEquals("time range: lower bound 10s is after upper bound -5s", e.getMessage());
        assertEquals("-5s,10s", TimeRange.parse(" -5s, +10s", "--right-between").toString());
    }
}
