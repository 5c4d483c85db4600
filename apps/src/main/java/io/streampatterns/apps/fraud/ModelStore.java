package io.streampatterns.apps.fraud;

import io.delta.tables.DeltaTable;
import io.streampatterns.core.ConfigException;
import io.streampatterns.online.LearnerOptions;
import io.streampatterns.online.OnlineLearner;
import io.streampatterns.sink.delta.DeltaSinks;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.sql.Timestamp;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

/**
 * The {@code models} Delta table: one row per model version, the whole learner state (champion, challenger, scaler,
 * anomaly trees, drift detectors, open evaluation window) as bytes, with the batch that wrote it and its figures.
 *
 * <p>The rule that makes replays exact: batch N scores with the newest version (by number) written by a batch
 * before N ({@code batch_id < N}), and writes what it trained as the next version with {@code batch_id = N}. A replay
 * of batch N after a crash therefore reads the very same version (its own earlier write has {@code batch_id = N}),
 * trains the same examples in the same order from the same state, and its writes are skipped as already done
 * (Delta {@code txnAppId/txnVersion}): nothing is trained twice. A rollback appends a copy of an old version as the
 * newest version, with the batch id of the last batch written, so the next batch scores with it.</p>
 */
final class ModelStore {
    static final String TRAINED = "trained";
    static final String ROLLBACK = "rollback";
    static final StructType SCHEMA = new StructType()
            .add("version", DataTypes.LongType, false)
            .add("batch_id", DataTypes.LongType, false)
            .add("kind", DataTypes.StringType)
            .add("parent_version", DataTypes.LongType)
            .add("labels", DataTypes.LongType)
            .add("windows", DataTypes.LongType)
            .add("drifts", DataTypes.LongType)
            .add("promotions", DataTypes.LongType)
            .add("champion_updates", DataTypes.LongType)
            .add("challenger_updates", DataTypes.LongType)
            .add("last_auc", DataTypes.DoubleType)
            .add("last_log_loss", DataTypes.DoubleType)
            .add("created_at", DataTypes.TimestampType)
            .add("state", DataTypes.BinaryType);

    private final SparkSession spark;
    private final String path;
    /** The last state read or written (version, bytes): most batches score with the version the previous one wrote. */
    private long cachedVersion = -1;
    private byte[] cachedState;

    ModelStore(SparkSession spark, String path) {
        this.spark = spark;
        this.path = path;
    }

    /** The learner current at the start of batch {@code batchId}: the newest version written before it, or a fresh one. */
    OnlineLearner forBatch(long batchId, LearnerOptions fresh) {
        if (!DeltaTable.isDeltaTable(spark, path)) {
            return OnlineLearner.create(fresh);
        }
        Row newest = table().filter(col("batch_id").lt(batchId)).agg(max("version")).first();
        if (newest.isNullAt(0)) {
            return OnlineLearner.create(fresh);
        }
        long version = newest.getLong(0);
        if (version != cachedVersion) {
            cachedState = state(version);
            cachedVersion = version;
        }
        return OnlineLearner.fromBytes(cachedState);
    }

    /** Appends {@code learner} as written by batch {@code batchId}, once per batch id of {@code appId}. */
    void appendOnce(OnlineLearner learner, long batchId, long parent, double lastAuc, double lastLogLoss, String appId) {
        byte[] state = learner.toBytes();
        DeltaSinks.appendOnce(rows(learner, batchId, TRAINED, parent, lastAuc, lastLogLoss, state), path, appId, batchId);
        cachedVersion = learner.version();
        cachedState = state;
    }

    /**
     * Appends a copy of version {@code version} as the newest version, tagged with the last batch id written so far:
     * the next batch of the pipeline scores with it. Returns the new version number.
     */
    long rollback(long version) {
        ConfigException.check(DeltaTable.isDeltaTable(spark, path), "no models table at " + path);
        Row last = table().agg(max("version"), max("batch_id")).first();
        ConfigException.check(!table().filter(col("version").equalTo(version)).isEmpty(),
                "--version " + version + " is not in " + path + " (newest: " + last.get(0) + ")");
        long newVersion = last.getLong(0) + 1;
        OnlineLearner old = OnlineLearner.fromBytes(state(version)).withVersion(newVersion);
        Row meta = table().filter(col("version").equalTo(version)).select("last_auc", "last_log_loss").first();
        rows(old, last.getLong(1), ROLLBACK, version, meta.isNullAt(0) ? Double.NaN : meta.getDouble(0),
                meta.isNullAt(1) ? Double.NaN : meta.getDouble(1), old.toBytes())
                .write().format("delta").mode("append").save(path);
        return newVersion;
    }

    /** Every version without its state, oldest first. */
    Dataset<Row> list() {
        ConfigException.check(DeltaTable.isDeltaTable(spark, path), "no models table at " + path);
        return table().drop("state").orderBy("version");
    }

    /** The learner of version {@code version}. */
    OnlineLearner load(long version) {
        ConfigException.check(DeltaTable.isDeltaTable(spark, path), "no models table at " + path);
        ConfigException.check(!table().filter(col("version").equalTo(version)).isEmpty(),
                "--version " + version + " is not in " + path);
        return OnlineLearner.fromBytes(state(version));
    }

    private byte[] state(long version) {
        return (byte[]) table().filter(col("version").equalTo(version)).select("state").first().get(0);
    }

    private Dataset<Row> table() {
        return spark.read().format("delta").load(path);
    }

    private Dataset<Row> rows(OnlineLearner l, long batchId, String kind, long parent, double auc, double logLoss,
                              byte[] state) {
        Row r = RowFactory.create(l.version(), batchId, kind, parent, l.labels(), l.windows(), l.drifts(), l.promotions(),
                l.championUpdates(), l.challengerUpdates(), Double.isNaN(auc) ? null : auc,
                Double.isNaN(logLoss) ? null : logLoss, new Timestamp(System.currentTimeMillis()), state);
        return spark.createDataFrame(List.of(r), SCHEMA).coalesce(1);
    }
}
