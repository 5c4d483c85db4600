package io.streampatterns.bench.ingest;

import io.streampatterns.apps.ingest.BuiltinSchemas;
import io.streampatterns.apps.ingest.IngestApp;
import io.streampatterns.apps.io.RawInput;
import io.streampatterns.bench.BenchContext;
import io.streampatterns.bench.BenchData;
import io.streampatterns.bench.BenchResult;
import io.streampatterns.bench.Benchmark;
import io.streampatterns.bench.Timing;
import io.streampatterns.quarantine.EventSchema;
import io.streampatterns.quarantine.RecordFormat;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.Trigger;

import java.nio.file.Path;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.to_date;

/**
 * {@code ingest}: our ingestion (validation + quarantine + dedup + Delta, exactly once) versus a bare
 * {@code readStream.json(...).writeStream.format("delta")} on the same generated clickstream, both with
 * {@code Trigger.AvailableNow} and the same table layout (partitioned by event date, as our lake table).
 * Agreement: our lake holds exactly the distinct event ids the bare copy holds, and nothing was quarantined (the
 * generated data is valid).
 */
public final class IngestBench implements Benchmark {
    /** The partition column of our lake table. */
    private static final String EVENT_DATE = "event_date";

    @Override
    public String name() {
        return "ingest";
    }

    @Override
    public String description() {
        return "ingest (validate+quarantine+dedup+Delta) vs bare readStream.json -> Delta, same input";
    }

    @Override
    public BenchResult run(BenchContext ctx) throws Exception {
        SparkSession spark = ctx.spark();
        long events = ctx.events(1_000_000, 200_000);
        Path input = BenchData.clickstream(ctx.workDir().getParent().resolve("clickstream-" + events), events);
        EventSchema schema = BuiltinSchemas.resolve("clickstream", null, null);
        warmUp(ctx, schema);

        Path bare = ctx.workDir().resolve("bare");
        double baseSeconds = Timing.seconds(() -> {
            bare(spark, schema, input, bare.resolve("_ckpt")).start(bare.resolve("table").toString()).awaitTermination();
            return null;
        });
        IngestApp.Options options = IngestApp.Options.of(schema, RecordFormat.JSON_LINES, ctx.workDir().resolve("lake"), "clicks");
        double oursSeconds = Timing.seconds(() -> {
            IngestApp.start(spark, RawInput.files(spark, input, 0), options, Trigger.AvailableNow()).awaitTermination();
            return null;
        });
        long ours = spark.read().format("delta").load(options.tablePath().toString()).count();
        long oursDistinct = spark.read().format("delta").load(options.tablePath().toString()).select("event_id").distinct().count();
        long bareRows = spark.read().format("delta").load(bare.resolve("table").toString()).count();
        long bareDistinct = spark.read().format("delta").load(bare.resolve("table").toString()).select("event_id").distinct().count();
        long quarantined = spark.read().format("delta").load(options.quarantinePath().toString()).count();
        long lakeFiles = spark.read().format("delta").load(options.tablePath().toString()).inputFiles().length;
        return BenchResult.of(name(), Timing.eps(events, oursSeconds), Timing.eps(events, baseSeconds),
                        ours == oursDistinct && ours == bareDistinct && quarantined == 0)
                .with("events", events)
                .with("duplicates_dropped", bareRows - ours)
                .with("quarantined", quarantined)
                .with("lake_files", lakeFiles);
    }

    private static void warmUp(BenchContext ctx, EventSchema schema) throws Exception {
        SparkSession spark = ctx.spark();
        Path input = BenchData.clickstream(ctx.workDir().resolve("warmup-in"), 20_000);
        IngestApp.start(spark, RawInput.files(spark, input, 0),
                IngestApp.Options.of(schema, RecordFormat.JSON_LINES, ctx.workDir().resolve("warmup-lake"), "w"),
                Trigger.AvailableNow()).awaitTermination();
        bare(spark, schema, input, ctx.workDir().resolve("warmup-bare/_c"))
                .start(ctx.workDir().resolve("warmup-bare/t").toString()).awaitTermination();
    }

    /** The baseline: JSON lines read with the schema, appended to Delta partitioned by event date like our lake table. */
    private static DataStreamWriter<Row> bare(SparkSession spark, EventSchema schema, Path input, Path checkpoint) {
        return spark.readStream().schema(schema.fields()).json(input.toString())
                .withColumn(EVENT_DATE, to_date(col(schema.eventTime())))
                .writeStream().format("delta").partitionBy(EVENT_DATE)
                .option("checkpointLocation", checkpoint.toString()).trigger(Trigger.AvailableNow());
    }
}
