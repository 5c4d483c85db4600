package io.streampatterns.globalagg;

import io.streampatterns.core.ConfigException;
import io.streampatterns.core.Storage;
import io.streampatterns.sink.delta.DeltaSinks;
import io.streampatterns.sink.jdbc.JdbcTarget;
import io.streampatterns.sink.jdbc.JdbcUpsertSink;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * The {@code foreachBatch} sink of {@link GlobalStats}: upserts each micro-batch of statistics on
 * {@link GlobalStats.Options#sinkKeys()} into a Delta table ({@link DeltaSinks#mergeOnce}) and optionally into a
 * PostgreSQL table ({@link JdbcUpsertSink}), both at most once per batch id, so a replayed batch changes nothing.
 * Pruned keys' final rows stay in both tables.
 *
 * <pre>{@code
 * StatsSink sink = StatsSink.toDelta(options, Storage.location("lake/user_stats"), checkpoint)
 *         .withWarehouse(JdbcTarget.of(url, "user_stats", options.sinkKeys().toArray(new String[0])));
 * stats.writeStream().outputMode("update").option("checkpointLocation", Storage.text(checkpoint)).foreachBatch(sink).start();
 * }</pre>
 */
public final class StatsSink implements VoidFunction2<Dataset<Row>, Long> {
    private static final long serialVersionUID = 1L;

    private final List<String> keys;
    private final String table;
    private final String appId;
    private final URI checkpoint;
    private final JdbcUpsertSink warehouse;

    private StatsSink(List<String> keys, String table, String appId, URI checkpoint, JdbcUpsertSink warehouse) {
        this.keys = keys;
        this.table = table;
        this.appId = appId;
        this.checkpoint = checkpoint;
        this.warehouse = warehouse;
    }

    /**
     * Upserts into the Delta table at {@code table} for the query checkpointed in {@code checkpoint} (where the sink
     * id is kept, so a new checkpoint is not mistaken for a replay).
     */
    public static StatsSink toDelta(GlobalStats.Options options, URI table, URI checkpoint) {
        Objects.requireNonNull(options, "options");
        ConfigException.check(table != null, "stats sink: a Delta table path is required");
        ConfigException.check(checkpoint != null, "stats sink: a checkpoint directory is required");
        String path = Storage.text(table);
        return new StatsSink(options.sinkKeys(), path, DeltaSinks.appIdFor(checkpoint, "stats:" + path), checkpoint, null);
    }

    /** Also upserts into PostgreSQL; the target's key columns must be the sink keys. */
    public StatsSink withWarehouse(JdbcTarget target) {
        ConfigException.check(target != null, "stats sink: a JDBC target is required");
        ConfigException.check(target.keyColumns().equals(keys), "stats sink: the warehouse table must be keyed on "
                + keys + ", got " + target.keyColumns());
        String sinkId = DeltaSinks.appIdFor(checkpoint, "stats-warehouse:" + target.table());
        return new StatsSink(keys, table, appId, checkpoint, JdbcUpsertSink.of(target, sinkId));
    }

    @Override
    public void call(Dataset<Row> batch, Long batchId) {
        Dataset<Row> cached = batch.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            if (cached.isEmpty()) {
                return;
            }
            DeltaSinks.mergeOnce(cached, table, appId, batchId, keys);
            if (warehouse != null) {
                warehouse.write(cached, batchId);
            }
        } finally {
            cached.unpersist();
        }
    }
}
