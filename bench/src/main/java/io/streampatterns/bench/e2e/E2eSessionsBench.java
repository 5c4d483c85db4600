package io.streampatterns.bench.e2e;

import io.streampatterns.apps.ingest.BuiltinSchemas;
import io.streampatterns.apps.sessions.SessionsCommand;
import io.streampatterns.bench.BenchContext;
import io.streampatterns.bench.BenchData;
import io.streampatterns.bench.Benchmark;
import io.streampatterns.bench.Digests;
import io.streampatterns.bench.Measured;
import io.streampatterns.bench.Plan;
import io.streampatterns.bench.Side;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.StructType;

import java.nio.file.Path;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.session_window;
import static org.apache.spark.sql.functions.sum;

/**
 * {@code e2e-sessions}: the {@code sessions} command (5 min gap, append mode, 10 min watermark; first/last page,
 * campaign and amount per session, as the command does by default) on raw JSON-lines files, against the same job on
 * plain Spark: {@code readStream.schema(...).json(...)} → {@code session_window(ts, 5 minutes)} + {@code groupBy} with
 * count, first/last page, campaign, sum of amount → Delta. Both read 5 files per micro-batch. Agreement on (user,
 * session start, session end, events). Full size: 2M events in 40 files (5,000 users), quick: 400k.
 */
public final class E2eSessionsBench implements Benchmark {
    private static final long PER_FILE = 50_000;

    @Override
    public String name() {
        return "e2e-sessions";
    }

    @Override
    public String description() {
        return "sessions command (gap 5m) vs plain Spark session_window + groupBy, raw files -> Delta";
    }

    @Override
    public Plan plan(BenchContext ctx) {
        long events = ctx.events(2_000_000, 400_000);
        Path input = BenchData.clickstream(ctx.workDir().getParent().resolve("clickstream-" + events + "-50k"), events, PER_FILE);
        Path small = BenchData.clickstream(ctx.workDir().getParent().resolve("clickstream-20000-5k"), 20_000, 5_000);
        SparkSession spark = ctx.spark();
        StructType schema = BuiltinSchemas.resolve("clickstream", null, null).fields();
        Side ours = Side.of("ours", rep -> ours(spark, input, ctx.runDir("ours", rep), events));
        Side nat = Side.of("native", rep -> nativeSessions(spark, schema, input, ctx.runDir("native", rep), events));
        return Plan.of(ours, nat).warmUp(() -> {
            ours(spark, small, ctx.runDir("ours", -1), 20_000);
            nativeSessions(spark, schema, small, ctx.runDir("native", -1), 20_000);
        }).figures(runs -> Figures.of("events", events, "files_per_batch", E2eAggregateBench.FILES_PER_BATCH));
    }

    static Measured ours(SparkSession spark, Path input, Path dir, long events) throws Exception {
        Path out = dir.resolve("sessions");
        Measured m = Measured.of(events, () -> {
            CommandRun.command(new SessionsCommand(), "--input", input.toString(), "--format", "jsonl", "--key", "user_id",
                    "--time", "ts", "--gap", "5m", "--watermark", "10m", "--mode", "append", "--output", out.toString(),
                    "--once", "--max-files-per-batch", String.valueOf(E2eAggregateBench.FILES_PER_BATCH));
            return null;
        });
        Dataset<Row> s = CommandRun.table(spark, out);
        return m.digest(Digests.of(s, "key", "session_start", "session_end", "event_count")).with("sessions", s.count());
    }

    static Measured nativeSessions(SparkSession spark, StructType schema, Path input, Path dir, long events) throws Exception {
        Measured m = Measured.of(events, () -> {
            Dataset<Row> in = spark.readStream().schema(schema).option("maxFilesPerTrigger", E2eAggregateBench.FILES_PER_BATCH)
                    .json(input.toString()).withWatermark("ts", "10 minutes");
            Dataset<Row> s = in.groupBy(in.col("user_id"), session_window(in.col("ts"), "5 minutes"))
                    .agg(count(lit(1)).as("event_count"), min_by(col("page"), col("ts")).as("first_page"),
                            max_by(col("page"), col("ts")).as("last_page"), max(col("campaign")).as("campaign"),
                            sum(col("amount")).as("amount"), max(col("ts")).as("last_event_time"))
                    .select(col("user_id"), col("session_window.start").as("session_start"),
                            col("session_window.end").as("session_end"), col("last_event_time"), col("event_count"),
                            col("first_page"), col("last_page"), col("campaign"), col("amount"));
            CommandRun.query(s.writeStream().format("delta").outputMode("append")
                    .option("checkpointLocation", dir.resolve("_ckpt").toString()).trigger(Trigger.AvailableNow())
                    .option("path", dir.resolve("sessions").toString()));
            return null;
        });
        Dataset<Row> s = CommandRun.table(spark, dir.resolve("sessions"));
        return m.digest(Digests.of(s, "user_id", "session_start", "session_end", "event_count")).with("sessions", s.count());
    }
}
