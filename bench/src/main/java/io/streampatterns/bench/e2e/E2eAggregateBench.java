package io.streampatterns.bench.e2e;

import io.streampatterns.apps.aggregate.AggregateCommand;
import io.streampatterns.apps.ingest.BuiltinSchemas;
import io.streampatterns.bench.BenchContext;
import io.streampatterns.bench.BenchData;
import io.streampatterns.bench.Benchmark;
import io.streampatterns.bench.Digests;
import io.streampatterns.bench.Measured;
import io.streampatterns.bench.Plan;
import io.streampatterns.bench.Side;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.StructType;

import java.nio.file.Path;
import java.util.Map;

import static org.apache.spark.sql.functions.approx_count_distinct;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.bround;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.stddev_samp;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.var_samp;
import static org.apache.spark.sql.functions.window;

/**
 * {@code e2e-aggregate-1h-1m}: the {@code aggregate} command (1 h windows every minute per user: count, sum, min, max,
 * mean, variance, stddev, distinct, p50/p95/p99 of {@code amount}, append mode, 10 min watermark) on raw JSON-lines
 * files, against the same job on plain Spark: {@code readStream.schema(...).json(...)} → {@code window(ts, 1 hour,
 * 1 minute)} + {@code groupBy().agg(...)} → Delta. Both read 5 files per micro-batch. Agreement on the exact figures
 * (key, window, count, sum rounded to 6 places, min, max). Full size: 2M events in 40 files (5,000 users), quick: 400k.
 */
public final class E2eAggregateBench implements Benchmark {
    static final int FILES_PER_BATCH = 5;
    private static final long PER_FILE = 50_000;

    @Override
    public String name() {
        return "e2e-aggregate-1h-1m";
    }

    @Override
    public String description() {
        return "aggregate command (pane windows, 1h every 1m, 11 figures) vs plain Spark window() + groupBy, raw files -> Delta";
    }

    @Override
    public Plan plan(BenchContext ctx) {
        long events = ctx.events(2_000_000, 400_000);
        Path input = BenchData.clickstream(ctx.workDir().getParent().resolve("clickstream-" + events + "-50k"), events, PER_FILE);
        Path small = BenchData.clickstream(ctx.workDir().getParent().resolve("clickstream-20000-5k"), 20_000, 5_000);
        SparkSession spark = ctx.spark();
        StructType schema = BuiltinSchemas.resolve("clickstream", null, null).fields();
        Side ours = Side.of("ours", rep -> ours(spark, input, ctx.runDir("ours", rep), events));
        Side nat = Side.of("native", rep -> nativeWindows(spark, schema, input, ctx.runDir("native", rep), events));
        return Plan.of(ours, nat).warmUp(() -> {
            ours(spark, small, ctx.runDir("ours", -1), 20_000);
            nativeWindows(spark, schema, small, ctx.runDir("native", -1), 20_000);
        }).figures(runs -> Figures.of("events", events, "files_per_batch", FILES_PER_BATCH));
    }

    static Measured ours(SparkSession spark, Path input, Path dir, long events) throws Exception {
        Path out = dir.resolve("windows");
        Measured m = Measured.of(events, () -> {
            CommandRun.command(new AggregateCommand(), "--input", input.toString(), "--format", "jsonl", "--key", "user_id",
                    "--time", "ts", "--value", "amount", "--window", "1h", "--slide", "1m", "--watermark", "10m",
                    "--mode", "append", "--output", out.toString(), "--once",
                    "--max-files-per-batch", String.valueOf(FILES_PER_BATCH));
            return null;
        });
        Dataset<Row> w = CommandRun.table(spark, out);
        return m.digest(digest(w, "key")).with("windows", w.count());
    }

    static Measured nativeWindows(SparkSession spark, StructType schema, Path input, Path dir, long events) throws Exception {
        Measured m = Measured.of(events, () -> {
            Dataset<Row> in = spark.readStream().schema(schema).option("maxFilesPerTrigger", FILES_PER_BATCH).json(input.toString())
                    .withWatermark("ts", "10 minutes");
            Column amount = in.col("amount");
            Dataset<Row> w = in.groupBy(in.col("user_id"), window(in.col("ts"), "1 hour", "1 minute"))
                    .agg(count(lit(1)).as("count"), sum(amount).as("sum"), min(amount).as("min"), max(amount).as("max"),
                            avg(amount).as("mean"), var_samp(amount).as("variance"), stddev_samp(amount).as("stddev"),
                            approx_count_distinct(amount).as("distinct"),
                            percentile_approx(amount, lit(new double[] {0.5, 0.95, 0.99}), lit(10_000)).as("quantiles"))
                    .select(col("user_id"), col("window.start").as("window_start"), col("window.end").as("window_end"),
                            col("count"), col("sum"), col("min"), col("max"), col("mean"), col("variance"), col("stddev"),
                            col("distinct"), col("quantiles"));
            CommandRun.query(w.writeStream().format("delta").outputMode("append")
                    .option("checkpointLocation", dir.resolve("_ckpt").toString()).trigger(Trigger.AvailableNow())
                    .option("path", dir.resolve("windows").toString()));
            return null;
        });
        Dataset<Row> w = CommandRun.table(spark, dir.resolve("windows"));
        return m.digest(digest(w, "user_id")).with("windows", w.count());
    }

    private static String digest(Dataset<Row> w, String key) {
        return Digests.of(w, col(key), col("window_start"), col("window_end"), col("count"), bround(col("sum"), 6),
                col("min"), col("max"));
    }
}
