package io.streampatterns.apps.io;

import io.streampatterns.sink.MicroBatch;
import io.streampatterns.sink.delta.DeltaSinks;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.net.URI;
import java.util.List;

import static org.apache.spark.sql.functions.current_timestamp;

/**
 * The quarantine table of a pipeline ({@code raw, reason, source, ingested_at}), written by the pipeline's own query:
 * {@link #around} wraps the query's {@code foreachBatch} sink so that each micro-batch is evaluated once, then the
 * records its inputs quarantined are appended (once per batch id), then the wrapped sink writes the pipeline's output
 * from the evaluated batch.
 */
public final class QuarantineTable {
    private final String path;
    private final List<EventInput> inputs;

    private QuarantineTable(String path, List<EventInput> inputs) {
        this.path = path;
        this.inputs = List.copyOf(inputs);
    }

    /** The Delta table at {@code path} for the quarantined records of {@code inputs}. */
    public static QuarantineTable of(String path, EventInput... inputs) {
        return new QuarantineTable(path, List.of(inputs));
    }

    public String path() {
        return path;
    }

    /** {@code sink} preceded by the quarantine write; the sink id lives in {@code checkpoint} (see {@code DeltaSinks.appIdFor}). */
    public VoidFunction2<Dataset<Row>, Long> around(VoidFunction2<Dataset<Row>, Long> sink, URI checkpoint) {
        return new Sink(sink, DeltaSinks.appIdFor(checkpoint, "quarantine"));
    }

    /** The wrapping sink. */
    private final class Sink implements VoidFunction2<Dataset<Row>, Long> {
        private static final long serialVersionUID = 1L;
        private final VoidFunction2<Dataset<Row>, Long> sink;
        private final String appId;
        /** Whether this sink already wrote the table, which therefore exists. */
        private boolean ready;

        Sink(VoidFunction2<Dataset<Row>, Long> sink, String appId) {
            this.sink = sink;
            this.appId = appId;
        }

        @Override
        public void call(Dataset<Row> batch, Long batchId) throws Exception {
            Dataset<Row> rows = MicroBatch.evaluate(batch);
            try {
                Dataset<Row> bad = null;
                for (EventInput in : inputs) {
                    Dataset<Row> drained = in.drainQuarantine();
                    bad = bad == null ? drained : bad.unionByName(drained);
                }
                bad = bad.withColumn("ingested_at", current_timestamp());
                // Once the table exists, a batch without bad records writes no commit (a replay finds none again).
                if (!ready || !bad.isEmpty()) {
                    DeltaSinks.appendOnce(bad.coalesce(1), path, appId, batchId);
                    ready = true;
                }
                sink.call(rows, batchId);
            } finally {
                MicroBatch.release(rows);
            }
        }
    }
}
