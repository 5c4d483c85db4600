package io.streampatterns.bench.e2e;

import io.streampatterns.apps.ingest.BuiltinSchemas;
import io.streampatterns.apps.ingest.IngestCommand;
import io.streampatterns.bench.BenchContext;
import io.streampatterns.bench.BenchData;
import io.streampatterns.bench.Benchmark;
import io.streampatterns.bench.Digests;
import io.streampatterns.bench.Measured;
import io.streampatterns.bench.Plan;
import io.streampatterns.bench.Side;
import io.streampatterns.quarantine.EventSchema;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.Trigger;

import java.nio.file.Path;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.to_date;

/**
 * {@code e2e-ingest}: the {@code ingest} command on raw JSON-lines files (validation with quarantine, dedup by event id
 * that keeps late records, exactly-once Delta) against the bare copy {@code readStream.schema(...).json(...)} → Delta
 * (same table layout, no checks, no dedup: the ratio's baseline) and Spark's native "equivalent" (PERMISSIVE
 * {@code from_json} + {@code dropDuplicatesWithinWatermark}, which keeps bad records as nulls and silently drops late
 * duplicates). Agreement: ours and native hold the same rows, and the bare copy the same rows once its duplicates are
 * removed. Full size 1M events, quick 200k.
 */
public final class E2eIngestBench implements Benchmark {
    private static final String[] COLUMNS = {"event_id", "user_id", "ts", "type", "page", "campaign", "amount", "device"};
    private static final String EVENT_DATE = "event_date";

    @Override
    public String name() {
        return "e2e-ingest";
    }

    @Override
    public String description() {
        return "ingest command (validate+quarantine+dedup, exactly once) vs bare readStream.json -> Delta and native from_json + dropDuplicatesWithinWatermark";
    }

    @Override
    public Plan plan(BenchContext ctx) {
        long events = ctx.events(1_000_000, 200_000);
        Path input = BenchData.clickstream(ctx.workDir().getParent().resolve("clickstream-" + events), events);
        Path small = BenchData.clickstream(ctx.workDir().getParent().resolve("clickstream-20000"), 20_000);
        SparkSession spark = ctx.spark();
        EventSchema schema = BuiltinSchemas.resolve("clickstream", null, null);
        Side ours = Side.of("ours", rep -> ours(spark, input, ctx.runDir("ours", rep), events));
        Side bare = Side.of("bare", rep -> bare(spark, schema, input, ctx.runDir("bare", rep), events));
        Side nat = Side.of("native", rep -> nativeDedup(spark, schema, input, ctx.runDir("native", rep), events));
        return Plan.of(ours, bare, nat).warmUp(() -> {
            ours(spark, small, ctx.runDir("ours", -1), 20_000);
            bare(spark, schema, small, ctx.runDir("bare", -1), 20_000);
            nativeDedup(spark, schema, small, ctx.runDir("native", -1), 20_000);
        }).figures(runs -> Figures.of("events", events));
    }

    static Measured ours(SparkSession spark, Path input, Path dir, long events) throws Exception {
        Measured m = Measured.of(events, () -> {
            CommandRun.command(new IngestCommand(), "--input", input.toString(), "--format", "jsonl", "--schema", "clickstream",
                    "--lake", dir.toString(), "--table", "clicks", "--once");
            return null;
        });
        Dataset<Row> lake = CommandRun.table(spark, dir.resolve("clicks"));
        long quarantined = CommandRun.table(spark, dir.resolve("clicks_quarantine")).count();
        return m.digest(Digests.of(lake, COLUMNS)).with("rows", lake.count()).with("quarantined", quarantined);
    }

    static Measured bare(SparkSession spark, EventSchema schema, Path input, Path dir, long events) throws Exception {
        Measured m = Measured.of(events, () -> {
            CommandRun.query(spark.readStream().schema(schema.fields()).json(input.toString())
                    .withColumn(EVENT_DATE, to_date(col(schema.eventTime())))
                    .writeStream().format("delta").partitionBy(EVENT_DATE)
                    .option("checkpointLocation", dir.resolve("_ckpt").toString()).trigger(Trigger.AvailableNow())
                    .option("path", dir.resolve("table").toString()));
            return null;
        });
        Dataset<Row> table = CommandRun.table(spark, dir.resolve("table"));
        return m.digest(Digests.of(table.select(COLUMNS[0], java.util.Arrays.copyOfRange(COLUMNS, 1, COLUMNS.length)).distinct(), COLUMNS))
                .with("rows", table.count());
    }

    static Measured nativeDedup(SparkSession spark, EventSchema schema, Path input, Path dir, long events) throws Exception {
        Measured m = Measured.of(events, () -> {
            Dataset<Row> parsed = spark.readStream().text(input.toString())
                    .select(from_json(col("value"), schema.fields(), Map.of("mode", "PERMISSIVE")).as("e")).select("e.*");
            CommandRun.query(parsed.withWatermark(schema.eventTime(), "10 minutes")
                    .dropDuplicatesWithinWatermark("event_id")
                    .withColumn(EVENT_DATE, to_date(col(schema.eventTime())))
                    .writeStream().format("delta").partitionBy(EVENT_DATE)
                    .option("checkpointLocation", dir.resolve("_ckpt").toString()).trigger(Trigger.AvailableNow())
                    .option("path", dir.resolve("table").toString()));
            return null;
        });
        Dataset<Row> table = CommandRun.table(spark, dir.resolve("table"));
        return m.digest(Digests.of(table, COLUMNS)).with("rows", table.count());
    }
}
