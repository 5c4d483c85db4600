package io.streampatterns.apps.pipeline;

import io.streampatterns.sink.MicroBatch;
import io.streampatterns.sink.delta.DeltaSinks;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;

/**
 * The sink of a streaming table: each micro-batch appended once to the Delta table ({@code txnAppId/txnVersion}, so a
 * batch replayed after a crash writes nothing), or, for a flow in update mode, merged on its upsert keys once per batch
 * id ({@link DeltaSinks#mergeOnce}); and, when the table quarantines rows, its marked rows appended once to
 * {@code <table>_quarantine} with their columns, {@code reason} (the constraint's name) and {@code quarantined_at};
 * then the same rows to the table's {@link ExtraSinks} (PostgreSQL, Kafka), each once per batch id.
 * The batch is evaluated first, even when both writes are skipped as a replay (SPARK-52008).
 */
final class TableSink implements VoidFunction2<Dataset<Row>, Long> {
    private static final long serialVersionUID = 1L;
    private final String path;
    private final String quarantinePath;
    private final String appId;
    private final List<String> upsertKeys;
    private final ExtraSinks.Bound extra;

    /** {@code quarantinePath} null: the table quarantines nothing; {@code upsertKeys} empty: rows are appended. */
    TableSink(String path, String quarantinePath, String appId, List<String> upsertKeys, ExtraSinks extra) {
        this.path = path;
        this.quarantinePath = quarantinePath;
        this.appId = appId;
        this.upsertKeys = List.copyOf(upsertKeys);
        this.extra = extra.bind(appId);
    }

    @Override
    public void call(Dataset<Row> batch, Long batchId) {
        Dataset<Row> rows = MicroBatch.evaluate(batch);
        try {
            Dataset<Row> good = rows;
            if (quarantinePath != null) {
                DeltaSinks.appendOnce(rows.filter(col(Expectations.REASON).isNotNull())
                        .withColumnRenamed(Expectations.REASON, "reason").withColumn("quarantined_at", current_timestamp())
                        .coalesce(1), quarantinePath, appId + ":quarantine", batchId);
                good = rows.filter(col(Expectations.REASON).isNull()).drop(Expectations.REASON);
            }
            if (upsertKeys.isEmpty()) {
                DeltaSinks.appendOnce(good, path, appId, batchId);
            } else {
                DeltaSinks.mergeOnce(good, path, appId, batchId, upsertKeys);
            }
            extra.write(good, batchId);
        } finally {
            MicroBatch.release(rows);
        }
    }
}
