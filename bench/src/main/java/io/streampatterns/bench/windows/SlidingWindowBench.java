package io.streampatterns.bench.windows;

import io.streampatterns.aggregate.Aggregates;
import io.streampatterns.bench.BenchContext;
import io.streampatterns.bench.BenchData;
import io.streampatterns.bench.Benchmark;
import io.streampatterns.bench.Digests;
import io.streampatterns.bench.Measured;
import io.streampatterns.bench.Plan;
import io.streampatterns.bench.Protocol;
import io.streampatterns.bench.Side;
import io.streampatterns.core.Durations;
import io.streampatterns.core.EventTime;
import io.streampatterns.windows.PaneWindowAggregation;
import io.streampatterns.windows.PaneWindowOptions;
import io.streampatterns.windows.SlidingWindow;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StateOperatorProgress;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.bround;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.window;

/**
 * {@code sliding-window-SIZE-SLIDE[-by-KEY]}: count and sum of {@code amount} per user (or per page) over sliding
 * event-time windows of the generated clickstream (JSON-lines files, 5,000 users), pane-based
 * ({@link PaneWindowAggregation}) versus Spark's native {@code window(ts, size, slide)} +
 * {@code groupBy(user, window).agg(count, sum)}, plus native tumbling windows of the pane length (a third side): the
 * floor cost of aggregating every event once. Each runs as a streaming query over the same files
 * ({@code Trigger.AvailableNow}, about ten micro-batches, append mode) after a warm-up. The sink keeps no rows (up
 * to tens of millions of windows): it adds each micro-batch's windows to a content digest, which ours and native
 * must agree on (so every side pays for hashing the rows it emits, as any sink pays per row). Side figures: state
 * rows and bytes, the largest total the query's state operators held after a micro-batch, and windows emitted.
 */
public final class SlidingWindowBench implements Benchmark {
    static final StructType CLICKS = new StructType()
            .add("user_id", DataTypes.StringType)
            .add("page", DataTypes.StringType)
            .add("ts", DataTypes.TimestampType)
            .add("amount", DataTypes.DoubleType);
    static final Duration WATERMARK = Duration.ofMinutes(10);
    static final int BATCHES = 10;
    static final long WARM_UP_EVENTS = 50_000;
    static final int WARM_UP_ROUNDS = 2;

    private final SlidingWindow window;
    private final String key;

    /** Windows of {@code size} every {@code slide} per user ({@code user_id}, 5,000 of them). */
    public SlidingWindowBench(Duration size, Duration slide) {
        this(size, slide, "user_id");
    }

    /** Windows of {@code size} every {@code slide} per value of {@code key}: {@code user_id} or {@code page}. */
    public SlidingWindowBench(Duration size, Duration slide, String key) {
        this.window = SlidingWindow.of(size, slide);
        this.key = key;
    }

    @Override
    public String name() {
        return "sliding-window-" + Durations.format(window.size()) + "-" + Durations.format(window.slide())
                + ("user_id".equals(key) ? "" : "-by-" + key);
    }

    @Override
    public String description() {
        return "pane-based vs native window(ts, " + Durations.format(window.size()) + ", " + Durations.format(window.slide())
                + ") count+sum by " + key + ", and native tumbling " + Durations.format(window.pane());
    }

    @Override
    public Plan plan(BenchContext ctx) throws Exception {
        long events = ctx.events(2_000_000, 500_000);
        Path input = BenchData.clickstream(ctx.workDir().getParent().resolve("clickstream-" + events), events);
        Path warmUp = BenchData.clickstream(ctx.workDir().getParent().resolve("clickstream-" + WARM_UP_EVENTS), WARM_UP_EVENTS);
        SparkSession spark = ctx.spark();
        int perBatch = filesPerBatch(input);
        Side ours = side("ours", ctx, input, perBatch, this::paneBased);
        Side nat = side("native", ctx, input, perBatch, this::nativeSliding);
        Side tumbling = side("tumbling", ctx, input, perBatch, this::nativeTumbling);
        return Plan.of(ours, nat, tumbling).agreeing(nat.name()).warmUp(() -> {
            for (int round = 0; round < WARM_UP_ROUNDS; round++) {
                query(spark, warmUp, 1, ctx.workDir().resolve("warmup-ours-" + round), this::paneBased);
                query(spark, warmUp, 1, ctx.workDir().resolve("warmup-native-" + round), this::nativeSliding);
                query(spark, warmUp, 1, ctx.workDir().resolve("warmup-tumbling-" + round), this::nativeTumbling);
            }
        }).figures(runs -> {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("events", events);
            f.put("note_ours_vs_tumbling", Protocol.medianRatio(runs.get("ours"), runs.get("tumbling")));
            f.put("note_state_rows_ratio", stateRowsRatio(runs.get("ours"), runs.get("native")));
            return f;
        });
    }

    /** A side that runs {@code pipeline} over {@code input}, {@code perBatch} files per micro-batch. */
    Side side(String name, BenchContext ctx, Path input, int perBatch, UnaryOperator<Dataset<Row>> pipeline) {
        return Side.of(name, rep -> query(ctx.spark(), input, perBatch, ctx.runDir(name, rep), pipeline));
    }

    /** Peak state rows of the last run of {@code a} over those of {@code b}'s, rounded to 4 places. */
    static double stateRowsRatio(List<Measured> a, List<Measured> b) {
        double ra = ((Number) a.get(a.size() - 1).figures().get("state_rows")).doubleValue();
        double rb = ((Number) b.get(b.size() - 1).figures().get("state_rows")).doubleValue();
        return Math.round(ra / rb * 10_000) / 10_000.0;
    }

    Dataset<Row> paneBased(Dataset<Row> clicks) {
        return PaneWindowAggregation.of(PaneWindowOptions.of(window)
                .keyedBy(key)
                .eventTime(EventTime.of("ts", WATERMARK))
                .aggregates(Aggregates.count(), Aggregates.sum("amount"))).apply(clicks);
    }

    Dataset<Row> nativeSliding(Dataset<Row> clicks) {
        return nativeWindows(clicks, key, window.size(), window.slide());
    }

    Dataset<Row> nativeTumbling(Dataset<Row> clicks) {
        return nativeWindows(clicks, key, window.pane(), window.pane());
    }

    /** Native windows, in ours' columns: key, window_start, window_end, count, sum. */
    static Dataset<Row> nativeWindows(Dataset<Row> clicks, String key, Duration size, Duration slide) {
        Dataset<Row> w = clicks.withWatermark("ts", Durations.toSparkInterval(WATERMARK));
        return w.groupBy(w.col(key), window(w.col("ts"), Durations.toSparkInterval(size), Durations.toSparkInterval(slide)))
                .agg(count(lit(1)).as("count"), sum(w.col("amount")).as("sum"))
                .select(col(key), col("window.start").as("window_start"), col("window.end").as("window_end"), col("count"),
                        col("sum"));
    }

    /**
     * Runs {@code pipeline} over the JSON-lines files in {@code input} to its end (checkpoint in {@code checkpoint}) and
     * measures it: events read, the digest of the windows emitted, peak state rows and bytes, windows.
     */
    Measured query(SparkSession spark, Path input, int filesPerBatch, Path checkpoint, UnaryOperator<Dataset<Row>> pipeline)
            throws Exception {
        Dataset<Row> clicks = spark.readStream().schema(CLICKS).option("maxFilesPerTrigger", filesPerBatch)
                .json(input.toString());
        Column[] columns = {col(key), col("window_start"), col("window_end"), col("count"), bround(col("sum"), 6)};
        Digests.Sum digest = new Digests.Sum();
        VoidFunction2<Dataset<Row>, Long> sink = (batch, id) -> digest.add(batch, columns);
        Measured.Stopwatch watch = new Measured.Stopwatch();
        StreamingQuery q = watch.time(() -> {
            StreamingQuery s = pipeline.apply(clicks).writeStream().outputMode("append")
                    .option("checkpointLocation", checkpoint.toString())
                    .trigger(Trigger.AvailableNow()).foreachBatch(sink).start();
            s.awaitTermination();
            return s;
        });
        long events = 0;
        long rows = 0;
        long bytes = 0;
        for (StreamingQueryProgress p : q.recentProgress()) {
            events += p.numInputRows();
            long r = 0;
            long b = 0;
            for (StateOperatorProgress s : p.stateOperators()) {
                r += s.numRowsTotal();
                b += s.memoryUsedBytes();
            }
            rows = Math.max(rows, r);
            bytes = Math.max(bytes, b);
        }
        return watch.measured(events).digest(digest.digest())
                .with("state_rows", rows).with("state_bytes", bytes).with("windows", digest.rows());
    }

    /** Input files per micro-batch so that the files of {@code dir} make about {@value #BATCHES} micro-batches. */
    static int filesPerBatch(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            int files = (int) s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).count();
            return Math.max(1, (files + BATCHES - 1) / BATCHES);
        }
    }
}
