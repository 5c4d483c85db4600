package io.streampatterns.windows;

import io.streampatterns.aggregate.Aggregate;
import io.streampatterns.aggregate.Aggregates;
import io.streampatterns.core.ConfigException;
import io.streampatterns.core.EmitMode;
import io.streampatterns.core.EventTime;
import io.streampatterns.testkit.StreamScenario.Step;
import io.streampatterns.testkit.StreamScenario;
import io.streampatterns.testkit.TestSpark;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;

import static io.streampatterns.testkit.Rows.row;
import static io.streampatterns.testkit.Rows.ts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Scripted micro-batches with explicit watermark steps; windows of 10 min every 5 min, watermark delay 5 min. */
class PaneWindowScenarioTest {
    static final StructType EVENTS = new StructType()
            .add("user", DataTypes.StringType)
            .add("page", DataTypes.StringType)
            .add("ts", DataTypes.TimestampType)
            .add("amount", DataTypes.DoubleType);
    static final SlidingWindow TEN_EVERY_FIVE = SlidingWindow.of(Duration.ofMinutes(10), Duration.ofMinutes(5));

    static PaneWindowOptions opts(EmitMode mode, Aggregate<?>... aggregates) {
        return PaneWindowOptions.of(TEN_EVERY_FIVE)
                .keyedBy("user")
                .eventTime(EventTime.of("ts", Duration.ofMinutes(5)))
                .aggregates(aggregates)
                .emit(mode);
    }

    static StreamScenario scenario(PaneWindowOptions o) {
        return StreamScenario.of(TestSpark.get(), EVENTS, df -> PaneWindowAggregation.of(o).apply(df))
                .mode(o.mode().toString()).start();
    }

    static Row event(String user, String time, Double amount) {
        return row(user, "home", ts(time), amount);
    }

    /** Rows as "key... HH:mm-HH:mm v1 v2 ...", sorted. */
    static List<String> show(List<Row> rows) {
        return rows.stream().map(PaneWindowScenarioTest::show).sorted().collect(Collectors.toList());
    }

    static String show(Row r) {
        StringBuilder b = new StringBuilder();
        int start = r.fieldIndex("window_start");
        for (int i = 0; i < r.size(); i++) {
            Object v = r.get(i);
            if (i == start || i == start + 1) {
                String hhmm = ((Timestamp) v).toInstant().atOffset(ZoneOffset.UTC).toLocalTime().toString();
                b.append(i == start ? " " + hhmm : "-" + hhmm);
            } else {
                b.append(i == 0 ? "" : " ").append(v);
            }
        }
        return b.toString();
    }

    @Test
    void appendEmitsEachWindowOnceWhenTheWatermarkPassesItsEnd() {
        PaneWindowOptions o = opts(EmitMode.APPEND, Aggregates.count(), Aggregates.stats("amount"));
        try (StreamScenario s = scenario(o)) {
            Step first = s.send(event("u1", "10:01", 1.0), event("u1", "10:06", 2.0), event("u2", "10:03", 10.0));
            assertEquals(List.of(), first.rows());
            assertEquals("2024-05-01T10:01:00.000Z", first.watermark());
            assertEquals(2, first.stateRows());

            Step second = s.send(event("u1", "10:21", 4.0));
            assertEquals("2024-05-01T10:16:00.000Z", second.watermark());
            assertEquals(List.of(
                    "u1 09:55-10:05 1 1.0 1.0 1.0 1.0 null null",
                    "u1 10:00-10:10 2 3.0 1.0 2.0 1.5 0.5 0.7071067811865476",
                    "u1 10:05-10:15 1 2.0 2.0 2.0 2.0 null null",
                    "u2 09:55-10:05 1 10.0 10.0 10.0 10.0 null null",
                    "u2 10:00-10:10 1 10.0 10.0 10.0 10.0 null null"), show(second.rows()));
            assertEquals(1, second.stateRows(), "u2 has no open window left and leaves the state");
            assertEquals(5, second.observed(PaneWindowOptions.DEFAULT_METRIC_NAME, "windows"));

            Step late = s.send(event("u1", "10:02", 5.0));
            assertEquals(List.of(), late.rows());
            assertEquals(1, late.observed(PaneWindowOptions.DEFAULT_METRIC_NAME, "late_events"));

            s.restart();
            Step afterRestart = s.send(event("u1", "10:40", 8.0));
            assertEquals("2024-05-01T10:35:00.000Z", afterRestart.watermark());
            assertEquals(List.of(
                    "u1 10:15-10:25 1 4.0 4.0 4.0 4.0 null null",
                    "u1 10:20-10:30 1 4.0 4.0 4.0 4.0 null null"), show(afterRestart.rows()));
            assertEquals(1, afterRestart.stateRows());
        }
    }

    @Test
    void lateEventInsideTheWatermarkUpdatesOnlyItsOpenWindows() {
        PaneWindowOptions o = opts(EmitMode.UPDATE, Aggregates.count(), Aggregates.stats("amount", "amount_"));
        try (StreamScenario s = scenario(o)) {
            Step first = s.send(event("u1", "10:20", 1.0));
            assertEquals("2024-05-01T10:15:00.000Z", first.watermark());
            assertEquals(List.of(
                    "u1 10:15-10:25 1 1.0 1.0 1.0 1.0 null null",
                    "u1 10:20-10:30 1 1.0 1.0 1.0 1.0 null null"), show(first.rows()));

            // pane 10:10-10:15 is in [10:05, 10:15), closed at watermark 10:15, and in [10:10, 10:20), still open
            Step lateButOpen = s.send(event("u1", "10:12", 2.0));
            assertEquals(List.of("u1 10:10-10:20 1 2.0 2.0 2.0 2.0 null null"), show(lateButOpen.rows()));
            assertEquals(0, lateButOpen.observed(o.metricName(), "late_events"));

            // pane 10:05-10:10 is only in closed windows: dropped and counted
            Step tooLate = s.send(event("u1", "10:08", 3.0), event("u1", "10:09", 3.0));
            assertEquals(List.of(), tooLate.rows());
            assertEquals(2, tooLate.observed(o.metricName(), "late_events"));

            Step again = s.send(event("u1", "10:21", 4.0));
            assertEquals(List.of(
                    "u1 10:15-10:25 2 5.0 1.0 4.0 2.5 4.5 2.1213203435596424",
                    "u1 10:20-10:30 2 5.0 1.0 4.0 2.5 4.5 2.1213203435596424"), show(again.rows()));
            assertEquals("2024-05-01T10:16:00.000Z", again.watermark());
            assertEquals(1, again.stateRows());

            // u1's newest pane (10:20) dies when the watermark reaches 10:30: its timer clears the key
            Step idle = s.send(event("u2", "11:00", 1.0));
            assertEquals(List.of(
                    "u2 10:55-11:05 1 1.0 1.0 1.0 1.0 null null",
                    "u2 11:00-11:10 1 1.0 1.0 1.0 1.0 null null"), show(idle.rows()));
            assertEquals(1, idle.stateRows());
        }
    }

    @Test
    void distinctAndQuantilesOfAWindowAreMergedFromItsPanes() {
        PaneWindowOptions o = opts(EmitMode.APPEND, Aggregates.count(), Aggregates.distinct("amount"),
                Aggregates.quantiles("amount", 0.5, 0.99));
        try (StreamScenario s = scenario(o)) {
            s.send(event("u1", "10:00", 1.0), event("u1", "10:01", 2.0), event("u1", "10:02", 3.0),
                    event("u1", "10:03", 3.0), event("u1", "10:04", null));
            s.send(event("u1", "10:05", 3.0), event("u1", "10:06", 4.0), event("u1", "10:09", 5.0));
            Step closing = s.send(event("u1", "10:30", 0.0));
            assertEquals(List.of(
                    "u1 09:55-10:05 5 3 2.0 3.0",
                    "u1 10:00-10:10 8 5 3.0 5.0",
                    "u1 10:05-10:15 3 3 4.0 5.0"), show(closing.rows()));
        }
    }

    @Test
    void userDefinedAggregateIsComputedPerPaneAndMerged() {
        PaneWindowOptions o = PaneWindowOptions.of(SlidingWindow.tumbling(Duration.ofMinutes(10)))
                .keyedBy("user", "page")
                .eventTime(EventTime.of("ts", Duration.ZERO))
                .aggregates(Aggregates.count(), Aggregates.sum("amount"), new LongestAmountText());
        try (StreamScenario s = scenario(o)) {
            s.send(row("u1", "home", ts("10:01"), 7.0), row("u1", "home", ts("10:02"), 12.5),
                    row("u1", "cart", ts("10:03"), 1.0));
            Step closing = s.send(row("u1", "home", ts("10:11"), 3.0));
            assertEquals(List.of(
                    "u1 cart 10:00-10:10 1 1.0 3",
                    "u1 home 10:00-10:10 2 19.5 4"), show(closing.rows()));
        }
    }

    /** A user aggregate: the longest text form of the amount (e.g. "12.5" has 4 characters). */
    static final class LongestAmountText implements Aggregate<int[]> {
        @Override
        public String input() {
            return "amount";
        }

        @Override
        public DataType inputType() {
            return DataTypes.StringType;
        }

        @Override
        public StructType output() {
            return new StructType().add("longest", DataTypes.IntegerType);
        }

        @Override
        public int[] zero() {
            return new int[1];
        }

        @Override
        public int[] add(int[] acc, Object value) {
            acc[0] = Math.max(acc[0], value.toString().length());
            return acc;
        }

        @Override
        public int[] merge(int[] acc, int[] other) {
            acc[0] = Math.max(acc[0], other[0]);
            return acc;
        }

        @Override
        public Object[] result(int[] acc) {
            return new Object[] {acc[0]};
        }

        @Override
        public void write(int[] acc, DataOutput out) throws IOException {
            out.writeInt(acc[0]);
        }

        @Override
        public int[] read(DataInput in) throws IOException {
            return new int[] {in.readInt()};
        }
    }

    @Test
    void configurationErrorsNameTheProblem() {
        Dataset<Row> batch = TestSpark.get().createDataFrame(List.of(), EVENTS);
        assertEquals("key column 'client' is not in the input (columns: user, page, ts, amount)", assertThrows(ConfigException.class,
                () -> PaneWindowAggregation.of(opts(EmitMode.APPEND, Aggregates.count()).keyedBy("client")).apply(batch)).getMessage());
        assertEquals("aggregate input column 'page' must be numeric, is string", assertThrows(ConfigException.class,
                () -> PaneWindowAggregation.of(opts(EmitMode.APPEND, Aggregates.stats("page"))).apply(batch)).getMessage());
        assertEquals("event-time column 'amount' must be TIMESTAMP, is double", assertThrows(ConfigException.class,
                () -> PaneWindowAggregation.of(opts(EmitMode.APPEND, Aggregates.count()).eventTime(EventTime.of("amount", Duration.ZERO))).apply(batch)).getMessage());
        assertEquals("pane windows: output column 'sum' appears twice (rename with an aggregate prefix)", assertThrows(ConfigException.class,
                () -> PaneWindowAggregation.of(opts(EmitMode.APPEND, Aggregates.stats("amount"), Aggregates.stats("amount"))).apply(batch)).getMessage());
        assertEquals("window slide (10m) must not be longer than the window size (5m)", assertThrows(ConfigException.class,
                () -> SlidingWindow.of(Duration.ofMinutes(5), Duration.ofMinutes(10))).getMessage());
        assertEquals("mode: expected append or update, got 'complete'", assertThrows(ConfigException.class,
                () -> EmitMode.parse("complete")).getMessage());
    }
}
