package io.streampatterns.bench.e2e;

import io.streampatterns.apps.monitor.EndpointGroups;
import io.streampatterns.apps.monitor.MonitorCommand;
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
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.approx_count_distinct;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_timestamp;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.window;

/**
 * {@code e2e-monitor}: the {@code monitor} command (Apache logs → requests, 4xx/5xx, bytes, size and latency quantiles,
 * distinct clients per endpoint group and overall, per minute and over 5 min and 1 h windows every minute, one pass)
 * on raw log files, against the same job on plain Spark: {@code readStream.text} + {@code regexp_extract} per field,
 * then one {@code window()} + {@code groupBy().agg()} query per window length (three queries, running together), each
 * to Delta. Both read 5 files per micro-batch, 2 min watermark. Agreement on the exact figures (endpoint, window,
 * requests, 4xx, 5xx, bytes). Full size: 2M lines in 40 files, quick: 400k.
 */
public final class E2eMonitorBench implements Benchmark {
    private static final long PER_FILE = 50_000;
    private static final String LINE = "^(\\S+) (\\S+) (\\S+) \\[([^\\]]+)\\] \"((?:[^\"\\\\]|\\\\.)*)\" (\\d{3}) (\\S+)"
            + "(?: \"((?:[^\"\\\\]|\\\\.)*)\" \"((?:[^\"\\\\]|\\\\.)*)\")?(?: (\\d+))?\\s*$";
    private static final String[][] WINDOWS = {{"1m", "1 minute", "1 minute"}, {"5m/1m", "5 minutes", "1 minute"},
            {"1h/1m", "1 hour", "1 minute"}};

    @Override
    public String name() {
        return "e2e-monitor";
    }

    @Override
    public String description() {
        return "monitor command (Apache logs, 3 window lengths in one pass) vs plain Spark regexp + 3 window queries, raw files -> Delta";
    }

    @Override
    public Plan plan(BenchContext ctx) {
        long events = ctx.events(2_000_000, 400_000);
        Path input = BenchData.generate("apache-logs", ctx.workDir().getParent().resolve("apache-logs-" + events), events,
                (int) PER_FILE);
        Path small = BenchData.generate("apache-logs", ctx.workDir().getParent().resolve("apache-logs-20000"), 20_000, 5_000);
        SparkSession spark = ctx.spark();
        Side ours = Side.of("ours", rep -> ours(spark, input, ctx.runDir("ours", rep), events));
        Side nat = Side.of("native", rep -> nativeWindows(spark, input, ctx.runDir("native", rep), events));
        return Plan.of(ours, nat).warmUp(() -> {
            ours(spark, small, ctx.runDir("ours", -1), 20_000);
            nativeWindows(spark, small, ctx.runDir("native", -1), 20_000);
        }).figures(runs -> Figures.of("events", events, "files_per_batch", E2eAggregateBench.FILES_PER_BATCH));
    }

    static Measured ours(SparkSession spark, Path input, Path dir, long events) throws Exception {
        Measured m = Measured.of(events, () -> {
            CommandRun.command(new MonitorCommand(), "--input", input.toString(), "--format", "apache-log",
                    "--output", dir.toString(), "--once", "--max-files-per-batch", String.valueOf(E2eAggregateBench.FILES_PER_BATCH));
            return null;
        });
        Dataset<Row> minutes = CommandRun.table(spark, dir.resolve("requests_per_minute")).withColumn("endpoint", lit("*"))
                .withColumn("window", lit("1m"))
                .unionByName(CommandRun.table(spark, dir.resolve("endpoints_per_minute")).withColumn("window", lit("1m")));
        Dataset<Row> all = minutes.unionByName(CommandRun.table(spark, dir.resolve("sliding_windows")));
        return m.digest(digest(all)).with("window_rows", all.count());
    }

    static Measured nativeWindows(SparkSession spark, Path input, Path dir, long events) throws Exception {
        Measured m = Measured.of(events, () -> {
            List<StreamingQuery> queries = new ArrayList<>();
            for (String[] w : WINDOWS) {
                queries.add(windows(requests(spark, input), w).writeStream().format("delta").outputMode("append")
                        .option("checkpointLocation", dir.resolve("_ckpt-" + w[0].replace('/', '-')).toString())
                        .trigger(Trigger.AvailableNow())
                        .option("path", dir.resolve("windows-" + w[0].replace('/', '-')).toString()).start());
            }
            for (StreamingQuery q : queries) {
                q.awaitTermination();
            }
            return null;
        });
        Dataset<Row> all = null;
        for (String[] w : WINDOWS) {
            Dataset<Row> t = CommandRun.table(spark, dir.resolve("windows-" + w[0].replace('/', '-')));
            all = all == null ? t : all.unionByName(t);
        }
        return m.digest(digest(all)).with("window_rows", all.count());
    }

    /** The log lines parsed the plain-Spark way, watermarked, one row per request and per group it counts in. */
    private static Dataset<Row> requests(SparkSession spark, Path input) {
        Column line = col("value");
        Dataset<Row> parsed = spark.readStream().option("maxFilesPerTrigger", E2eAggregateBench.FILES_PER_BATCH)
                .text(input.toString())
                .where(line.rlike(LINE))
                .select(regexp_extract(line, LINE, 1).as("client"),
                        to_timestamp(regexp_extract(line, LINE, 4), "dd/MMM/yyyy:HH:mm:ss Z").as("ts"),
                        regexp_extract(regexp_extract(line, LINE, 5), "^(\\S+) (\\S+)(?: (\\S+))?$", 2).as("path"),
                        regexp_extract(line, LINE, 6).cast("int").as("status"),
                        regexp_extract(line, LINE, 7).cast("bigint").as("bytes"),
                        regexp_extract(line, LINE, 10).cast("bigint").as("response_us"))
                .withColumn("path", when(col("path").notEqual(""), col("path")))
                .withWatermark("ts", "2 minutes");
        return parsed.select(explode(array(lit("*"), EndpointGroups.firstSegment().of(col("path")))).as("endpoint"),
                col("ts"), col("client"), when(col("status").between(400, 499), 1L).otherwise(0L).as("is_4xx"),
                when(col("status").between(500, 599), 1L).otherwise(0L).as("is_5xx"),
                coalesce(col("bytes"), lit(0L)).as("size"), col("response_us").divide(1000.0).as("latency_ms"));
    }

    private static Dataset<Row> windows(Dataset<Row> r, String[] w) {
        Column quantiles = lit(new double[] {0.5, 0.95, 0.99});
        return r.groupBy(r.col("endpoint"), window(r.col("ts"), w[1], w[2]))
                .agg(count(lit(1)).as("requests"), sum("is_4xx").as("errors_4xx"), sum("is_5xx").as("errors_5xx"),
                        sum("size").as("bytes"), percentile_approx(col("size"), quantiles, lit(10_000)).as("bytes_q"),
                        percentile_approx(col("latency_ms"), quantiles, lit(10_000)).as("latency_q"),
                        approx_count_distinct("client").as("clients"))
                .select(col("endpoint"), lit(w[0]).as("window"), col("window.start").as("window_start"),
                        col("requests"), col("errors_4xx"), col("errors_5xx"), col("bytes"));
    }

    private static String digest(Dataset<Row> all) {
        return Digests.of(all, col("endpoint"), col("window"), col("window_start"), col("requests"),
                col("errors_4xx").cast("bigint"), col("errors_5xx").cast("bigint"), col("bytes").cast("bigint"));
    }
}
