package io.streampatterns.bench.ingest;

import io.streampatterns.apps.ingest.BuiltinSchemas;
import io.streampatterns.apps.ingest.IngestApp;
import io.streampatterns.apps.io.RawInput;
import io.streampatterns.bench.BenchContext;
import io.streampatterns.bench.BenchData;
import io.streampatterns.bench.Benchmark;
import io.streampatterns.bench.Digests;
import io.streampatterns.bench.Measured;
import io.streampatterns.bench.Plan;
import io.streampatterns.bench.Side;
import io.streampatterns.quarantine.EventSchema;
import io.streampatterns.quarantine.RecordFormat;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.Trigger;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.to_date;

/**
 * {@code ingest}: our ingestion pipeline ({@link IngestApp}: validation + quarantine + dedup + Delta, exactly once, on
 * the records as the file reader parses them) versus a bare {@code readStream.json(...).writeStream.format("delta")}
 * on the same generated clickstream, both with {@code Trigger.AvailableNow} and the same table layout (partitioned by
 * event date, as our lake table). Agreement by content: our lake holds exactly the distinct rows of the bare copy
 * (the generator's duplicates are exact copies; the data is valid, so a quarantined row would be missing from the
 * lake). Full size 1M events, quick 200k.
 */
public final class IngestBench implements Benchmark {
    /** The partition column of our lake table. */
    private static final String EVENT_DATE = "event_date";
    private static final String[] COLUMNS = {"event_id", "user_id", "ts", "type", "page", "campaign", "amount", "device"};
    private static final long WARM_UP_EVENTS = 20_000;

    @Override
    public String name() {
        return "ingest";
    }

    @Override
    public String description() {
        return "ingest (validate+quarantine+dedup+Delta) vs bare readStream.json -> Delta, same input";
    }

    @Override
    public Plan plan(BenchContext ctx) {
        SparkSession spark = ctx.spark();
        long events = ctx.events(1_000_000, 200_000);
        Path input = BenchData.clickstream(ctx.workDir().getParent().resolve("clickstream-" + events), events);
        Path small = BenchData.clickstream(ctx.workDir().getParent().resolve("clickstream-" + WARM_UP_EVENTS), WARM_UP_EVENTS);
        EventSchema schema = BuiltinSchemas.resolve("clickstream", null, null);
        Side ours = Side.of("ours", rep -> ours(spark, schema, input, ctx.runDir("ours", rep), events));
        Side bare = Side.of("bare", rep -> bare(spark, schema, input, ctx.runDir("bare", rep), events));
        return Plan.of(ours, bare).warmUp(() -> {
            ours(spark, schema, small, ctx.runDir("ours", -1), WARM_UP_EVENTS);
            bare(spark, schema, small, ctx.runDir("bare", -1), WARM_UP_EVENTS);
        }).figures(runs -> figures(events, runs.get("ours"), runs.get("bare")));
    }

    private static Map<String, Object> figures(long events, List<Measured> ours, List<Measured> bare) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("events", events);
        Map<String, Object> o = ours.get(ours.size() - 1).figures();
        f.put("duplicates_dropped", (long) bare.get(bare.size() - 1).figures().get("rows") - (long) o.get("rows"));
        f.put("quarantined", o.get("quarantined"));
        f.put("lake_files", o.get("lake_files"));
        return f;
    }

    static Measured ours(SparkSession spark, EventSchema schema, Path input, Path dir, long events) throws Exception {
        IngestApp.Options options = IngestApp.Options.of(schema, RecordFormat.JSON_LINES, dir.resolve("lake").toUri(), "clicks");
        Measured m = Measured.of(events, () -> {
            IngestApp.start(spark, RawInput.files(spark, input, 0, RecordFormat.JSON_LINES, schema), options,
                    Trigger.AvailableNow()).awaitTermination();
            return null;
        });
        Dataset<Row> lake = spark.read().format("delta").load(options.tablePath().toString());
        long quarantined = spark.read().format("delta").load(options.quarantinePath().toString()).count();
        return m.digest(Digests.of(lake, COLUMNS)).with("rows", lake.count()).with("quarantined", quarantined)
                .with("lake_files", lake.inputFiles().length);
    }

    /** The baseline: JSON lines read with the schema, appended to Delta partitioned by event date like our lake table. */
    static Measured bare(SparkSession spark, EventSchema schema, Path input, Path dir, long events) throws Exception {
        Path table = dir.resolve("table");
        Measured m = Measured.of(events, () -> {
            spark.readStream().schema(schema.fields()).json(input.toString())
                    .withColumn(EVENT_DATE, to_date(col(schema.eventTime())))
                    .writeStream().format("delta").partitionBy(EVENT_DATE)
                    .option("checkpointLocation", dir.resolve("_ckpt").toString()).trigger(Trigger.AvailableNow())
                    .start(table.toString()).awaitTermination();
            return null;
        });
        Dataset<Row> rows = spark.read().format("delta").load(table.toString());
        return m.digest(Digests.of(rows.selectExpr(COLUMNS).distinct(), COLUMNS)).with("rows", rows.count());
    }
}
