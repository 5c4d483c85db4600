package io.streampatterns.apps.sessions;

import io.delta.tables.DeltaTable;
import io.streampatterns.sink.delta.DeltaSinks;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Update mode's sink: each micro-batch of session rows is merged into the Delta table on {@code session_id} in one
 * MERGE — rows with {@code end_reason = superseded} delete their id, the others update or insert — at most once per
 * batch id (Delta's {@code txnAppId}/{@code txnVersion}), so a batch replayed after a crash changes nothing.
 * A batch holds at most one row per session id.
 *
 * <p>The batch is persisted and counted first: when Delta skips a replayed batch it would not read it, the stateful
 * step would not run and Spark's check that every state store committed (SPARK-52008) would fail the query.</p>
 */
final class SessionsSink implements VoidFunction2<Dataset<Row>, Long> {
    private static final long serialVersionUID = 1L;
    private static final String SUPERSEDED = "s.end_reason = 'superseded'";

    private final String path;
    private final String appId;

    SessionsSink(String path, String appId) {
        this.path = path;
        this.appId = appId;
    }

    @Override
    public void call(Dataset<Row> batch, Long batchId) {
        Dataset<Row> rows = batch.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            rows.count();
            write(rows, batchId);
        } finally {
            rows.unpersist();
        }
    }

    private void write(Dataset<Row> batch, long batchId) {
        SparkSession spark = batch.sparkSession();
        if (!DeltaTable.isDeltaTable(spark, path)) {
            DeltaSinks.appendOnce(batch.where("end_reason <> 'superseded'"), path, appId, batchId);
            return;
        }
        // the same lock and session settings as DeltaSinks.mergeOnce, which has no delete clause
        synchronized (DeltaSinks.class) {
            spark.conf().set("spark.databricks.delta.write.txnAppId", appId);
            spark.conf().set("spark.databricks.delta.write.txnVersion", String.valueOf(batchId));
            try {
                DeltaTable.forPath(spark, path).as("t")
                        .merge(batch.as("s"), "t.session_id = s.session_id")
                        .whenMatched(SUPERSEDED).delete()
                        .whenMatched().updateAll()
                        .whenNotMatched("NOT (" + SUPERSEDED + ")").insertAll()
                        .execute();
            } finally {
                spark.conf().unset("spark.databricks.delta.write.txnAppId");
                spark.conf().unset("spark.databricks.delta.write.txnVersion");
            }
        }
    }
}
