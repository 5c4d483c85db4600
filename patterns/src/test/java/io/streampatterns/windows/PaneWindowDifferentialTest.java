package io.streampatterns.windows;

import io.streampatterns.testkit.TestDepth;
import io.streampatterns.aggregate.Aggregates;
import io.streampatterns.core.Durations;
import io.streampatterns.core.EmitMode;
import io.streampatterns.core.EventTime;
import io.streampatterns.testkit.StreamScenario.Step;
import io.streampatterns.testkit.StreamScenario;
import io.streampatterns.testkit.TestSpark;
import org.apache.datasketches.kll.KllSketch;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

import static io.streampatterns.testkit.Rows.row;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.stddev_samp;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.var_samp;
import static org.apache.spark.sql.functions.window;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Property-style differential test: for random out-of-order micro-batches (late events included), the pane-based
 * aggregation emits, step by step, exactly the windows Spark's native {@code window(ts, size, slide)} +
 * {@code groupBy(key, window).agg(...)} emits on the same batches, with equal count, sum, min, max and mean,
 * variance and deviation equal up to rounding, and sketch figures within their error bounds of the exact
 * values (computed from the native query's {@code collect_list}).
 */
class PaneWindowDifferentialTest {
    static final StructType EVENTS = new StructType()
            .add("user", DataTypes.StringType)
            .add("ts", DataTypes.TimestampType)
            .add("amount", DataTypes.DoubleType);
    static final Duration[][] WINDOWS = {
            {Duration.ofMinutes(10), Duration.ofMinutes(5)},
            {Duration.ofMinutes(10), Duration.ofMinutes(4)},
            {Duration.ofMinutes(6), Duration.ofMinutes(6)},
            {Duration.ofMinutes(15), Duration.ofMinutes(1)},
            {Duration.ofMinutes(60), Duration.ofMinutes(1)},
            {Duration.ofSeconds(90), Duration.ofSeconds(40)},
    };
    static final double[] RANKS = {0.5, 0.95, 0.99};
    /** The rank error of the KLL sketch behind {@code Aggregates.quantiles} (k 200). */
    static final double RANK_ERROR = KllSketch.getNormalizedRankError(200, false);
    static final Instant BASE = Instant.parse("2024-05-01T10:00:00Z");

    /** One random case: a window, a watermark delay, an emit mode and its micro-batches. */
    static final class Case {
        final long seed;
        final SlidingWindow window;
        final Duration watermark;
        final EmitMode mode;
        final List<List<Row>> batches = new ArrayList<>();

        Case(long seed) {
            this.seed = seed;
            Random r = new Random(seed);
            Duration[] w = WINDOWS[r.nextInt(WINDOWS.length)];
            window = SlidingWindow.of(w[0], w[1]);
            watermark = Duration.ofMinutes(r.nextInt(4) * 2L);
            mode = r.nextBoolean() ? EmitMode.APPEND : EmitMode.UPDATE;
            long now = 0;
            int n = 4 + r.nextInt(3);
            for (int b = 0; b < n; b++) {
                now += 60 + r.nextInt(600);
                List<Row> batch = new ArrayList<>();
                int events = 1 + r.nextInt(25);
                for (int e = 0; e < events; e++) {
                    long t = now - r.nextInt(20 * 60) + r.nextInt(120);
                    if (r.nextBoolean()) {
                        t -= Math.floorMod(t, 60); // on the minute: watermarks then fall on window ends
                    }
                    Double amount = r.nextInt(10) == 0 ? null : (double) r.nextInt(40);
                    batch.add(row("u" + r.nextInt(3), Timestamp.from(BASE.plusSeconds(t)), amount));
                }
                batches.add(batch);
            }
        }

        @Override
        public String toString() {
            return "seed " + seed + " (" + window + ", watermark " + Durations.format(watermark) + ", " + mode + ")";
        }
    }

    @Test
    void paneWindowsEqualNativeWindowAggregationOverRandomOutOfOrderBatches() {
        for (long seed = 1; seed <= TestDepth.of(4, 40); seed++) {
            Case c = new Case(seed);
            PaneWindowOptions o = PaneWindowOptions.of(c.window)
                    .keyedBy("user")
                    .eventTime(EventTime.of("ts", c.watermark))
                    .aggregates(Aggregates.count(), Aggregates.stats("amount"), Aggregates.distinct("amount"),
                            Aggregates.quantiles("amount", RANKS))
                    .emit(c.mode);
            List<Step> ours = run(c, df -> PaneWindowAggregation.of(o).apply(df));
            List<Step> spark = run(c, df -> nativeWindows(df, c));
            long previousWatermark = 0;
            for (int b = 0; b < c.batches.size(); b++) {
                String where = c + ", batch " + b;
                assertEquals(spark.get(b).watermark(), ours.get(b).watermark(), where);
                compare(byWindow(spark.get(b).rows(), where), byWindow(ours.get(b).rows(), where), where);
                assertEquals(lateEvents(c, b, previousWatermark), ours.get(b).observed(o.metricName(), "late_events"), where);
                previousWatermark = Instant.parse(ours.get(b).watermark()).toEpochMilli();
            }
        }
    }

    static List<Step> run(Case c, UnaryOperator<Dataset<Row>> pipeline) {
        List<Step> steps = new ArrayList<>();
        try (StreamScenario s = StreamScenario.of(TestSpark.get(), EVENTS, pipeline).mode(c.mode.toString()).start()) {
            for (List<Row> batch : c.batches) {
                steps.add(s.send(batch));
            }
        }
        return steps;
    }

    static Dataset<Row> nativeWindows(Dataset<Row> in, Case c) {
        Dataset<Row> w = in.withWatermark("ts", Durations.toSparkInterval(c.watermark));
        return w.groupBy(w.col("user"), window(w.col("ts"), Durations.toSparkInterval(c.window.size()),
                        Durations.toSparkInterval(c.window.slide())))
                .agg(count(lit(1)).as("count"), sum("amount").as("sum"), min("amount").as("min"),
                        max("amount").as("max"), avg("amount").as("mean"), var_samp("amount").as("variance"),
                        stddev_samp("amount").as("stddev"), collect_list("amount").as("values"))
                .select(col("user"), col("window.start").as("window_start"), col("count"), col("sum"), col("min"),
                        col("max"), col("mean"), col("variance"), col("stddev"), col("values"));
    }

    /** Events of batch {@code b} whose windows had all closed at the watermark before it. */
    static long lateEvents(Case c, int b, long watermarkMs) {
        PaneGeometry g = new PaneGeometry(c.window);
        return c.batches.get(b).stream()
                .filter(r -> g.closesAtMs(g.paneOf(((Timestamp) r.get(1)).getTime())) <= watermarkMs)
                .count();
    }

    static Map<String, Row> byWindow(List<Row> rows, String where) {
        Map<String, Row> m = new TreeMap<>();
        for (Row r : rows) {
            String key = r.getAs("user") + "@" + r.getAs("window_start");
            assertNull(m.put(key, r), where + ": window emitted twice in one step: " + key);
        }
        return m;
    }

    static void compare(Map<String, Row> expected, Map<String, Row> actual, String where) {
        assertEquals(expected.keySet(), actual.keySet(), where + ": emitted windows");
        for (Map.Entry<String, Row> e : expected.entrySet()) {
            Row x = e.getValue();
            Row a = actual.get(e.getKey());
            String at = where + ", window " + e.getKey();
            for (String exact : new String[] {"count", "sum", "min", "max", "mean"}) {
                assertEquals((Object) x.getAs(exact), a.getAs(exact), at + ": " + exact);
            }
            for (String rounded : new String[] {"variance", "stddev"}) {
                Double xv = x.getAs(rounded);
                Double av = a.getAs(rounded);
                assertEquals(xv == null, av == null, at + ": " + rounded + " " + xv + " vs " + av);
                if (xv != null) {
                    assertEquals(xv, av, 1e-9 * Math.max(1, Math.abs(xv)), at + ": " + rounded);
                }
            }
            List<Double> values = new ArrayList<>(x.getList(x.fieldIndex("values")));
            values.sort(Double::compare);
            long exactDistinct = new HashSet<>(values).size();
            long distinct = a.getAs("distinct");
            assertTrue(Math.abs(distinct - exactDistinct) <= Math.ceil(0.05 * exactDistinct),
                    at + ": distinct " + distinct + " vs exact " + exactDistinct);
            for (double q : RANKS) {
                Double estimate = a.getAs(quantileColumn(q));
                if (values.isEmpty()) {
                    assertNull(estimate, at);
                } else {
                    assertNotNull(estimate, at);
                    assertWithinRankError(q, estimate, values, at + ": " + quantileColumn(q));
                }
            }
        }
    }

    /** The estimate's rank among the exact values is within the sketch's normalized rank error of {@code q}. */
    static void assertWithinRankError(double q, double estimate, List<Double> sorted, String at) {
        double n = sorted.size();
        long below = sorted.stream().filter(v -> v < estimate).count();
        long atOrBelow = sorted.stream().filter(v -> v <= estimate).count();
        assertTrue(below / n <= q + RANK_ERROR && atOrBelow / n >= q - RANK_ERROR,
                at + ": estimate " + estimate + " has rank [" + below / n + ", " + atOrBelow / n + "] for q " + q
                        + " over " + sorted);
    }

    /** The column of a quantile rank of {@link #RANKS}: {@code p50}, {@code p95}, {@code p99}. */
    static String quantileColumn(double rank) {
        return "p" + Math.round(rank * 100);
    }
}
