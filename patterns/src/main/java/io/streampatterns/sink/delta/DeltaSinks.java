package io.streampatterns.sink.delta;

import io.streampatterns.core.Storage;
import io.streampatterns.sink.MicroBatch;
import io.delta.tables.DeltaTable;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.Snapshot;
import org.apache.spark.sql.streaming.DataStreamWriter;

import java.net.URI;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Exactly-once writes of micro-batches into Delta tables.
 *
 * <ul>
 *   <li>{@link #appendOnce}: append a batch at most once per (application id, batch id) with Delta's idempotent
 *       writes ({@code txnAppId}/{@code txnVersion}): a batch replayed after a crash writes nothing.</li>
 *   <li>{@link #mergeOnce}: upsert a batch on key columns (MERGE), at most once per batch id (same mechanism via
 *       the session's {@code spark.databricks.delta.write.txnAppId/txnVersion}).</li>
 *   <li>{@link #appIdFor}: the application id is kept in the checkpoint directory, so a new checkpoint (batch ids
 *       starting again at 0) gets a new id and is not mistaken for a replay.</li>
 * </ul>
 */
public final class DeltaSinks {
    private static final String APP_ID_FILE = "streampatterns-sink-id";

    private DeltaSinks() {
    }

    /** Appends {@code batch} to the Delta table at {@code path} unless batch {@code batchId} of {@code appId} is already in it. */
    public static void appendOnce(Dataset<Row> batch, String path, String appId, long batchId, String... partitionBy) {
        batch.write().format("delta").mode("append")
                .option("txnAppId", appId).option("txnVersion", batchId)
                .option("mergeSchema", "true")
                .partitionBy(partitionBy)
                .save(path);
    }

    /**
     * Upserts {@code batch} into the Delta table at {@code path} on {@code keys} (update all columns when matched,
     * insert when not), once per batch id; creates the table from the batch schema on first use. The batch must hold
     * at most one row per key.
     */
    public static void mergeOnce(Dataset<Row> batch, String path, String appId, long batchId, List<String> keys) {
        SparkSession spark = batch.sparkSession();
        if (!DeltaTable.isDeltaTable(spark, path)) {
            appendOnce(batch, path, appId, batchId);
            return;
        }
        String on = keys.stream().map(k -> "t.`" + k + "` <=> s.`" + k + "`").collect(Collectors.joining(" AND "));
        synchronized (DeltaSinks.class) {
            spark.conf().set("spark.databricks.delta.write.txnAppId", appId);
            spark.conf().set("spark.databricks.delta.write.txnVersion", String.valueOf(batchId));
            try {
                DeltaTable.forPath(spark, path).as("t")
                        .merge(batch.as("s"), on)
                        .whenMatched().updateAll()
                        .whenNotMatched().insertAll()
                        .execute();
            } finally {
                spark.conf().unset("spark.databricks.delta.write.txnAppId");
                spark.conf().unset("spark.databricks.delta.write.txnVersion");
            }
        }
    }

    /**
     * The highest batch id of {@code appId} in the Delta table at {@code path} (its {@code txnVersion}), -1 when none or
     * no table: lets a sink that writes while it evaluates a batch tell a replay from a new batch before it starts.
     */
    public static long lastBatch(SparkSession spark, String path, String appId) {
        DeltaLog log = DeltaLog.forTable(spark, path);
        if (!log.tableExists()) {
            return -1;
        }
        Snapshot snapshot = log.update(log.update$default$1(), log.update$default$2(), log.update$default$3());
        scala.Option<Object> version = snapshot.transactions().get(appId);
        return version.isDefined() ? (Long) version.get() : -1;
    }

    /** A {@code foreachBatch} sink that appends each micro-batch to the Delta table at {@code path}, once per batch id of {@code appId}. */
    public static VoidFunction2<Dataset<Row>, Long> appender(String path, String appId) {
        return new Appender(path, appId);
    }

    /** See {@link #appender}. */
    private static final class Appender implements VoidFunction2<Dataset<Row>, Long> {
        private static final long serialVersionUID = 1L;
        private final String path;
        private final String appId;

        Appender(String path, String appId) {
            this.path = path;
            this.appId = appId;
        }

        @Override
        public void call(Dataset<Row> batch, Long batchId) {
            appendOnce(batch, path, appId, batchId);
        }
    }

    /** A streaming writer that appends to the Delta table at {@code path} (Delta's exactly-once streaming sink). */
    public static DataStreamWriter<Row> appendStream(Dataset<Row> stream, String path, String checkpoint) {
        return stream.writeStream().format("delta").outputMode("append")
                .option("checkpointLocation", checkpoint).option("path", path);
    }

    /**
     * A streaming writer that keeps the latest row per {@code keys} in the Delta table at {@code path}
     * (update output mode, MERGE per micro-batch, idempotent by batch id). When a batch holds several rows of one key,
     * the one {@code latestFirst} orders first wins.
     */
    public static DataStreamWriter<Row> upsertStream(Dataset<Row> stream, String path, String checkpoint,
                                                     List<String> keys, Column... latestFirst) {
        VoidFunction2<Dataset<Row>, Long> merge = upserter(path, appIdFor(Storage.location(checkpoint), "upsert:" + path), keys, latestFirst);
        return stream.writeStream().outputMode("update").option("checkpointLocation", checkpoint).foreachBatch(merge);
    }

    /**
     * A {@code foreachBatch} sink that keeps the latest row per {@code keys} in the Delta table at {@code path} (MERGE,
     * once per batch id of {@code appId}); see {@link #upsertStream}.
     */
    public static VoidFunction2<Dataset<Row>, Long> upserter(String path, String appId, List<String> keys, Column... latestFirst) {
        List<String> k = List.copyOf(keys);
        Column[] order = latestFirst.clone();
        return (batch, batchId) -> {
            // evaluated once even when the MERGE is skipped as a replay, so upstream stateful steps commit their state
            Dataset<Row> rows = MicroBatch.evaluate(batch);
            try {
                mergeOnce(latestPerKey(rows, k, order), path, appId, batchId, k);
            } finally {
                MicroBatch.release(rows);
            }
        };
    }

    static Dataset<Row> latestPerKey(Dataset<Row> batch, List<String> keys, Column... latestFirst) {
        if (latestFirst.length == 0) {
            return batch.dropDuplicates(keys.toArray(new String[0]));
        }
        org.apache.spark.sql.expressions.WindowSpec w = org.apache.spark.sql.expressions.Window
                .partitionBy(keys.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new))
                .orderBy(latestFirst);
        return batch.withColumn("__rank", org.apache.spark.sql.functions.row_number().over(w))
                .filter("__rank = 1").drop("__rank");
    }

    /**
     * The sink id of {@code name} for the query checkpointed in {@code checkpoint}: created on first use and kept in
     * the checkpoint directory.
     */
    public static String appIdFor(URI checkpoint, String name) {
        URI file = Storage.child(checkpoint, APP_ID_FILE);
        if (!Storage.exists(file)) {
            Storage.writeAtomically(file, UUID.randomUUID().toString());
        }
        return Storage.read(file).trim() + ":" + name;
    }

    /** Compacts small files of the Delta table at {@code path} (Delta OPTIMIZE; only partitions with small files are rewritten). */
    public static void compact(SparkSession spark, String path) {
        if (DeltaTable.isDeltaTable(spark, path)) {
            DeltaTable.forPath(spark, path).optimize().executeCompaction();
        }
    }
}
