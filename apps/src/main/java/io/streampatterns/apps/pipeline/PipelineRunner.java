package io.streampatterns.apps.pipeline;

import io.streampatterns.apps.cli.StreamRunner;
import io.streampatterns.apps.io.EventInput;
import io.streampatterns.core.EmitMode;
import io.streampatterns.apps.io.QuarantineTable;
import io.streampatterns.core.Storage;
import io.streampatterns.sink.delta.DeltaSinks;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Runs a checked {@link Pipeline}: one streaming query per streaming table, written exactly once to the Delta table at
 * {@code <storage>/<table>} (checkpoint {@code <storage>/_checkpoints/<table>}), its expectations applied
 * ({@link Expectations}, {@link TableSink}), and the records its overlay sources quarantined appended to
 * {@code <storage>/<source>_quarantine} by the first flow that reads the source. With {@code once}, the flows run one
 * after the other in dependency order, each over what is available ({@code Trigger.AvailableNow}), so a table
 * downstream sees everything its inputs got in this run; otherwise all run together until stopped, each downstream
 * flow reading its input tables as Delta streams.
 */
public final class PipelineRunner {
    private PipelineRunner() {
    }

    /** Runs {@code pipeline} (see the class comment); returns when it is done ({@code once}) or stopped. */
    public static void run(SparkSession spark, Pipeline pipeline, boolean once) {
        if (once) {
            for (FlowPlanner.PlannedFlow f : pipeline.flows()) {
                StreamRunner.run(spark, true, null, () -> List.of(start(pipeline, f, Trigger.AvailableNow())));
            }
        } else {
            StreamRunner.run(spark, false, null, () -> startAll(pipeline, Trigger.ProcessingTime(0)));
        }
    }

    /** Starts every flow of {@code pipeline} at once with {@code trigger} (the demo's way; {@link #run} for the CLI's). */
    public static List<StreamingQuery> startAll(Pipeline pipeline, Trigger trigger) {
        List<StreamingQuery> queries = new ArrayList<>();
        pipeline.flows().forEach(f -> queries.add(start(pipeline, f, trigger)));
        return queries;
    }

    /** Starts the query of the table {@code f} writes. */
    static StreamingQuery start(Pipeline pipeline, FlowPlanner.PlannedFlow f, Trigger trigger) {
        PipelineSpec spec = pipeline.spec();
        String table = f.table();
        URI checkpoint = Storage.location(spec.checkpoint(table));
        String appId = DeltaSinks.appIdFor(checkpoint, "table:" + table);
        String quarantine = Expectations.quarantines(f.expectations()) ? spec.tablePath(table + "_quarantine") : null;
        VoidFunction2<Dataset<Row>, Long> sink = new TableSink(spec.tablePath(table), quarantine, appId, f.upsertKeys(), f.extraSinks());
        for (Map.Entry<String, EventInput> source : f.quarantinedSources().entrySet()) {
            sink = QuarantineTable.of(spec.tablePath(source.getKey() + "_quarantine"), source.getValue()).around(sink, checkpoint);
        }
        try {
            return Expectations.apply(f.output(), f.expectations(), table).writeStream().queryName(table)
                    .outputMode(f.mode() == EmitMode.APPEND ? "append" : "update").option("checkpointLocation", Storage.text(checkpoint)).trigger(trigger)
                    .foreachBatch(sink).start();
        } catch (TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }
}
