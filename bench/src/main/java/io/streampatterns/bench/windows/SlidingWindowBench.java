package io.streampatterns.bench.windows;

import com.sun.management.OperatingSystemMXBean;
import io.streampatterns.aggregate.Aggregates;
import io.streampatterns.bench.BenchContext;
import io.streampatterns.bench.BenchData;
import io.streampatterns.bench.BenchResult;
import io.streampatterns.bench.Benchmark;
import io.streampatterns.core.Durations;
import io.streampatterns.core.EventTime;
import io.streampatterns.windows.PaneWindowAggregation;
import io.streampatterns.windows.PaneWindowOptions;
import io.streampatterns.windows.SlidingWindow;
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
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.window;

/**
 * {@code sliding-window-SIZE-SLIDE[-by-KEY]}: count and sum of {@code amount} per user (or per page) over sliding
 * event-time windows of the generated clickstream (JSON-lines files, 5,000 users), pane-based ({@link PaneWindowAggregation}) versus Spark's
 * native {@code window(ts, size, slide)} + {@code groupBy(user, window).agg(count, sum)}, plus native tumbling
 * windows of the pane length: the floor cost of aggregating every event once. Each runs as a streaming query over
 * the same files ({@code Trigger.AvailableNow}, about ten micro-batches, append mode, noop sink) after a warm-up;
 * state rows are the largest total the query's state operators held after a micro-batch.
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
    static final int MEASURED_ROUNDS = 2;

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
    public BenchResult run(BenchContext ctx) throws Exception {
        long events = ctx.events(2_000_000, 500_000);
        Path input = BenchData.clickstream(ctx.workDir().getParent().resolve("clickstream-" + events), events);
        Path warmUp = BenchData.clickstream(ctx.workDir().getParent().resolve("clickstream-" + WARM_UP_EVENTS), WARM_UP_EVENTS);
        Figures f = measure(ctx.spark(), input, warmUp, ctx.workDir());
        return BenchResult.of(name(), f.ours.eps(), f.sliding.eps(), f.ours.windows == f.sliding.windows)
                .with("events", f.ours.events)
                .with("tumbling_eps", Math.round(f.tumbling.eps()))
                .with("ours_vs_tumbling", round(f.ours.eps() / f.tumbling.eps()))
                .with("ours_cpu_s", round(f.ours.cpuSeconds))
                .with("native_cpu_s", round(f.sliding.cpuSeconds))
                .with("tumbling_cpu_s", round(f.tumbling.cpuSeconds))
                .with("ours_state_rows", f.ours.stateRows)
                .with("native_state_rows", f.sliding.stateRows)
                .with("state_rows_ratio", round((double) f.ours.stateRows / f.sliding.stateRows))
                .with("ours_state_bytes", f.ours.stateBytes)
                .with("native_state_bytes", f.sliding.stateBytes)
                .with("ours_windows", f.ours.windows)
                .with("native_windows", f.sliding.windows);
    }

    /**
     * Measures the three queries over the JSON-lines files in {@code input} after running each twice over the
     * (small) {@code warmUp} input, so that the JIT has compiled the hot paths; checkpoints under {@code workDir}.
     */
    public Figures measure(SparkSession spark, Path input, Path warmUp, Path workDir) throws Exception {
        int perBatch = filesPerBatch(input);
        for (int round = 0; round < WARM_UP_ROUNDS; round++) {
            Run.query(spark, warmUp, 1, workDir.resolve("warm-ours-" + round), this::paneBased);
            Run.query(spark, warmUp, 1, workDir.resolve("warm-native-" + round), this::nativeSliding);
            Run.query(spark, warmUp, 1, workDir.resolve("warm-tumbling-" + round), this::nativeTumbling);
        }
        OursAndTumbling runs = oursAndTumbling(spark, input, perBatch, workDir);
        Run sliding = Run.query(spark, input, perBatch, workDir.resolve("native"), this::nativeSliding);
        return new Figures(runs.ours(), sliding, runs.tumbling());
    }

    /** The faster run of ours and of native tumbling over {@link #MEASURED_ROUNDS} interleaved rounds. */
    record OursAndTumbling(Run ours, Run tumbling) {
    }

    /**
     * Runs ours and native tumbling on {@code input} in {@value #MEASURED_ROUNDS} interleaved rounds and keeps the
     * faster run of each: the first full-size run in a JVM is up to a third slower than the next (JIT, first state
     * stores), whichever query it is, and would otherwise always count against the query measured first.
     */
    OursAndTumbling oursAndTumbling(SparkSession spark, Path input, int perBatch, Path dir) throws Exception {
        Run ours = null;
        Run tumbling = null;
        for (int round = 0; round < MEASURED_ROUNDS; round++) {
            ours = Run.faster(ours, Run.query(spark, input, perBatch, dir.resolve("ours-" + round), this::paneBased));
            tumbling = Run.faster(tumbling, Run.query(spark, input, perBatch, dir.resolve("tumbling-" + round), this::nativeTumbling));
        }
        return new OursAndTumbling(ours, tumbling);
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

    static Dataset<Row> nativeWindows(Dataset<Row> clicks, String key, Duration size, Duration slide) {
        Dataset<Row> w = clicks.withWatermark("ts", Durations.toSparkInterval(WATERMARK));
        return w.groupBy(w.col(key), window(w.col("ts"), Durations.toSparkInterval(size), Durations.toSparkInterval(slide)))
                .agg(count(lit(1)).as("count"), sum(w.col("amount")).as("sum"));
    }

    /** Input files per micro-batch so that the files of {@code dir} make about {@value #BATCHES} micro-batches. */
    static int filesPerBatch(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            int files = (int) s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).count();
            return Math.max(1, (files + BATCHES - 1) / BATCHES);
        }
    }

    static double round(double x) {
        return Math.round(x * 1000) / 1000.0;
    }

    /** The figures of one measurement. */
    public static final class Figures {
        public final Run ours;
        public final Run sliding;
        public final Run tumbling;

        Figures(Run ours, Run sliding, Run tumbling) {
            this.ours = ours;
            this.sliding = sliding;
            this.tumbling = tumbling;
        }

        @Override
        public String toString() {
            return "ours " + ours + "\nnative sliding " + sliding + "\nnative tumbling " + tumbling
                    + String.format("%nratio %.2f, ours vs tumbling %.2f, state rows ratio %.3f", ours.eps() / sliding.eps(),
                    ours.eps() / tumbling.eps(), (double) ours.stateRows / sliding.stateRows);
        }
    }

    /**
     * One query run to completion: events read, wall-clock seconds, CPU seconds of the whole JVM (steadier than
     * wall-clock on a busy machine), peak state rows and bytes, window rows written.
     */
    public static final class Run {
        public final long events;
        public final double seconds;
        public final double cpuSeconds;
        public final long stateRows;
        public final long stateBytes;
        public final long windows;

        private Run(long events, double seconds, double cpuSeconds, long stateRows, long stateBytes, long windows) {
            this.events = events;
            this.seconds = seconds;
            this.cpuSeconds = cpuSeconds;
            this.stateRows = stateRows;
            this.stateBytes = stateBytes;
            this.windows = windows;
        }

        public double eps() {
            return seconds <= 0 ? 0 : events / seconds;
        }

        /** The faster of two runs of one query ({@code b} when {@code a} is null). */
        static Run faster(Run a, Run b) {
            return a == null || b.eps() > a.eps() ? b : a;
        }

        static Run query(SparkSession spark, Path input, int filesPerBatch, Path checkpoint,
                         UnaryOperator<Dataset<Row>> pipeline) throws Exception {
            Dataset<Row> clicks = spark.readStream().schema(CLICKS).option("maxFilesPerTrigger", filesPerBatch)
                    .json(input.toString());
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            StreamingQuery q = pipeline.apply(clicks).writeStream().format("noop").outputMode("append")
                    .option("checkpointLocation", checkpoint.toString())
                    .trigger(Trigger.AvailableNow()).start();
            q.awaitTermination();
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpuSeconds = (os.getProcessCpuTime() - cpu0) / 1e9;
            long events = 0;
            long rows = 0;
            long bytes = 0;
            long windows = 0;
            for (StreamingQueryProgress p : q.recentProgress()) {
                events += p.numInputRows();
                windows += Math.max(0, p.sink().numOutputRows());
                long r = 0;
                long b = 0;
                for (StateOperatorProgress s : p.stateOperators()) {
                    r += s.numRowsTotal();
                    b += s.memoryUsedBytes();
                }
                rows = Math.max(rows, r);
                bytes = Math.max(bytes, b);
            }
            return new Run(events, seconds, cpuSeconds, rows, bytes, windows);
        }

        @Override
        public String toString() {
            return String.format("%d events in %.1f s = %.0f events/s (cpu %.1f s), peak state rows %d (%d bytes), %d windows",
                    events, seconds, eps(), cpuSeconds, stateRows, stateBytes, windows);
        }
    }
}
