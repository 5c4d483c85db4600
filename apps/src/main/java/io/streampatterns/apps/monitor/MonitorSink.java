package io.streampatterns.apps.monitor;

import io.streampatterns.sink.delta.DeltaSinks;
import io.streampatterns.sink.jdbc.JdbcTarget;
import io.streampatterns.sink.jdbc.JdbcUpsertSink;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.sql.types.StructType;

import java.util.HashMap;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

/**
 * The window query's sink: splits each micro-batch of window rows into {@code requests_per_minute} (all traffic,
 * per minute), {@code endpoints_per_minute} and {@code sliding_windows}, each appended once per batch id (Delta
 * {@code txnAppId}/{@code txnVersion}), and optionally upserts the minutes into PostgreSQL (idempotent per batch id).
 * The batch is persisted and counted per table first: the stateful step runs even when every write is skipped on a
 * replay (SPARK-52008), and empty tables get no empty commits.
 */
final class MonitorSink implements VoidFunction2<Dataset<Row>, Long> {
    private static final long serialVersionUID = 1L;
    private static final String TABLE = "__table";

    private final String dir;
    private final String appId;
    private final JdbcTarget warehouse;

    MonitorSink(String dir, String appId, JdbcTarget warehouse) {
        this.dir = dir;
        this.appId = appId;
        this.warehouse = warehouse;
    }

    /** The schema of a minute table: the window rows without {@code window} (and without {@code endpoint} for all traffic). */
    static StructType minuteSchema(StructType windows, boolean withEndpoint) {
        StructType t = new StructType();
        for (var f : windows.fields()) {
            if (!f.name().equals("window") && (withEndpoint || !f.name().equals("endpoint"))) {
                t = t.add(f);
            }
        }
        return t;
    }

    @Override
    public void call(Dataset<Row> batch, Long batchId) {
        String minute = MonitorApp.label(MonitorApp.MINUTE);
        Dataset<Row> rows = batch.withColumn(TABLE,
                        when(col("window").notEqual(minute), lit(MonitorApp.SLIDING))
                                .when(col("endpoint").equalTo(MonitorApp.ALL), lit(MonitorApp.MINUTES))
                                .otherwise(lit(MonitorApp.ENDPOINTS)))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Map<String, Long> counts = new HashMap<>();
            for (Row r : rows.groupBy(TABLE).count().collectAsList()) {
                counts.put(r.getString(0), r.getLong(1));
            }
            Dataset<Row> minutes = rows.where(col(TABLE).equalTo(MonitorApp.MINUTES)).drop(TABLE, "window", "endpoint");
            write(counts, MonitorApp.MINUTES, minutes, batchId);
            write(counts, MonitorApp.ENDPOINTS, rows.where(col(TABLE).equalTo(MonitorApp.ENDPOINTS)).drop(TABLE, "window"), batchId);
            write(counts, MonitorApp.SLIDING, rows.where(col(TABLE).equalTo(MonitorApp.SLIDING)).drop(TABLE), batchId);
            if (warehouse != null && counts.containsKey(MonitorApp.MINUTES)) {
                JdbcUpsertSink.of(warehouse, appId + "-" + MonitorApp.MINUTES).write(minutes, batchId);
            }
        } finally {
            rows.unpersist();
        }
    }

    private void write(Map<String, Long> counts, String table, Dataset<Row> rows, long batchId) {
        if (counts.getOrDefault(table, 0L) > 0) {
            DeltaSinks.appendOnce(rows, dir + "/" + table, appId + "-" + table, batchId);
        }
    }
}
