package io.streampatterns.sessions;

import io.streampatterns.testkit.TestDepth;
import io.streampatterns.core.EmitMode;
import io.streampatterns.core.EventTime;
import io.streampatterns.testkit.StreamScenario.Step;
import io.streampatterns.testkit.StreamScenario;
import io.streampatterns.testkit.TestSpark;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import static io.streampatterns.testkit.Rows.row;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.session_window;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Differential test: with the gap rule only (static, or per event from a column), the sessionizer gives the same
 * sessions as Spark's {@code session_window} + {@code groupBy(key, session_window).agg(max, count)}, run as a
 * streaming query in append mode on the same random out-of-order micro-batches: the same final sessions in the same
 * micro-batch, the same late-row drops, and the same set of all sessions at the end — also for the sessionizer's
 * update mode, once its emissions are folded by {@code session_id} (superseded ids removed).
 */
class SessionizerDifferentialTest {
    static final StructType EVENTS = new StructType()
            .add("user", DataTypes.StringType)
            .add("ts", DataTypes.TimestampType)
            .add("gap_ms", DataTypes.LongType);
    static final Instant START = Instant.parse("2024-05-01T10:00:00Z");
    static final String WATERMARK = "4 minutes";
    static final int BATCHES = 7;

    /** Seeds 11.. with a fixed gap and 21.. with a gap per event: one of each in CI, ten of each in the long mode. */
    static Stream<Arguments> cases() {
        int n = TestDepth.of(1, 10);
        return Stream.concat(LongStream.range(11, 11 + n).mapToObj(s -> Arguments.of(s, false)),
                LongStream.range(21, 21 + n).mapToObj(s -> Arguments.of(s, true)));
    }

    @ParameterizedTest(name = "seed {0}, dynamic gap {1}")
    @MethodSource("cases")
    void finalSessionsEqualSparkSessionWindow(long seed, boolean dynamicGap) {
        SessionRules rules = SessionRules.gap(Duration.ofMinutes(5));
        if (dynamicGap) {
            rules = rules.withGapColumn("gap_ms");
        }
        Column gap = dynamicGap ? concat(col("gap_ms").cast("string"), lit(" milliseconds")) : lit("5 minutes");
        List<List<Row>> batches = randomBatches(new Random(seed), dynamicGap);
        SessionRules r = rules;
        try (StreamScenario spark = scenario(in -> sparkSessions(in, gap), "append");
             StreamScenario append = scenario(in -> ours(in, r, EmitMode.APPEND), "append");
             StreamScenario update = scenario(in -> ours(in, r, EmitMode.UPDATE), "update")) {
            Map<String, Row> table = new HashMap<>();
            TreeSet<String> expectedAll = new TreeSet<>();
            long drops = 0;
            long lateWatermark = 0;
            for (int b = 0; b < batches.size(); b++) {
                List<Row> batch = batches.get(b);
                Step expected = spark.send(batch);
                Step actual = append.send(batch);
                Step updated = update.send(batch);
                String where = "seed " + seed + ", batch " + b + ", watermark " + expected.watermark();
                assertEquals(sorted(expected.rows()), sorted(actual.rows()), where);
                long late = lateEvents(batch, lateWatermark);
                assertEquals(late, actual.droppedLate(), where + ": late drops");
                assertEquals(late, updated.droppedLate(), where + ": late drops (update mode)");
                // Spark's session_window counts its partially aggregated rows: identical late events count once
                assertTrue(expected.droppedLate() <= late && (late == 0) == (expected.droppedLate() == 0), where + ": Spark's drops");
                lateWatermark = Instant.parse(expected.watermark()).toEpochMilli();
                fold(table, updated.rows());
                expectedAll.addAll(sorted(expected.rows()));
                assertEquals(expectedAll, finals(table), where + ": update mode, final sessions folded by session_id");
                drops += late;
            }
            assertEquals(expectedAll, new TreeSet<>(sorted(append.allRows())), "all final sessions at the end");
            assertTrue(expectedAll.size() >= 15 && drops > 0, "the input exercises sessions and late drops: "
                    + expectedAll.size() + " sessions, " + drops + " dropped");
            assertEquals(List.of("flush"), table.values().stream().filter(x -> !x.<Boolean>getAs("is_final")).map(x -> x.get(0))
                    .collect(Collectors.toList()), "only the flushing event's session is open");
            assertEquals(expectedAll.size() + 1, table.size(), "no superseded id is left in the table");
        }
    }

    /**
     * Random batches: 10 users; the event-time frontier moves 0–6 minutes per batch; events lie up to 12 minutes
     * behind it on a 30-second grid (so exact-gap ties happen), some 10–25 minutes behind (mostly dropped); a last
     * batch far ahead closes every session.
     */
    static List<List<Row>> randomBatches(Random rnd, boolean dynamicGap) {
        List<List<Row>> batches = new ArrayList<>();
        long frontier = START.toEpochMilli();
        for (int b = 0; b < BATCHES; b++) {
            frontier += rnd.nextInt(13) * 30_000L;
            List<Row> batch = new ArrayList<>();
            int n = 12 + rnd.nextInt(15);
            for (int i = 0; i < n; i++) {
                long behind = rnd.nextInt(10) == 0 ? 600_000L + rnd.nextInt(31) * 30_000L : rnd.nextInt(25) * 30_000L;
                long gapMs = dynamicGap ? (1 + rnd.nextInt(8)) * 60_000L : 300_000L;
                batch.add(row("u" + rnd.nextInt(10), new Timestamp(frontier - behind), gapMs));
            }
            batches.add(batch);
        }
        batches.add(List.of(row("flush", new Timestamp(frontier + 3_600_000L), 60_000L)));
        return batches;
    }

    /** Events whose own gap window ends at or before the watermark of the previous micro-batch. */
    static long lateEvents(List<Row> batch, long watermark) {
        return batch.stream().filter(r -> r.getTimestamp(1).getTime() + r.getLong(2) <= watermark).count();
    }

    static Dataset<Row> sparkSessions(Dataset<Row> in, Column gap) {
        Dataset<Row> w = in.withWatermark("ts", WATERMARK);
        return w.groupBy(w.col("user"), session_window(w.col("ts"), gap).as("s"))
                .agg(max(w.col("ts")).as("last"), count("*").as("n"))
                .selectExpr("user", "s.start", "s.end", "last", "n");
    }

    /** Ours, setting the watermark itself, as {@link #WATERMARK} (the scenario test's input carries one from upstream). */
    static Dataset<Row> ours(Dataset<Row> in, SessionRules rules, EmitMode mode) {
        return Sessionizer.of(SessionOptions.of("user", EventTime.of("ts", Duration.ofMinutes(4))).rules(rules).emit(mode))
                .apply(in);
    }

    static StreamScenario scenario(UnaryOperator<Dataset<Row>> pipeline, String mode) {
        return StreamScenario.of(TestSpark.get(), EVENTS, pipeline).mode(mode).start();
    }

    /** The update stream applied to a table keyed by session_id: upsert, delete superseded ids. */
    static void fold(Map<String, Row> table, List<Row> rows) {
        for (Row r : rows) {
            if (SessionProcessor.SUPERSEDED.equals(r.getAs("end_reason"))) {
                table.remove(r.getString(6));
            } else {
                table.put(r.getString(6), r);
            }
        }
    }

    static TreeSet<String> finals(Map<String, Row> table) {
        return table.values().stream().filter(r -> r.<Boolean>getAs("is_final")).map(SessionizerDifferentialTest::key)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    static List<String> sorted(List<Row> rows) {
        return rows.stream().map(SessionizerDifferentialTest::key).sorted().collect(Collectors.toList());
    }

    /** user, start, end, last event, count, from either output. */
    static String key(Row r) {
        int count = r.size() == 5 ? 4 : 5;
        return r.get(0) + " " + r.getTimestamp(1).toInstant() + " " + r.getTimestamp(2).toInstant() + " "
                + r.getTimestamp(3).toInstant() + " " + r.getLong(count);
    }
}
