package io.streampatterns.apps.fraud;

import io.delta.tables.DeltaTable;
import io.streampatterns.core.Storage;
import io.streampatterns.online.Example;
import io.streampatterns.online.LearnerOptions;
import io.streampatterns.online.Metrics;
import io.streampatterns.online.OnlineLearner;
import io.streampatterns.online.Scorer;
import io.streampatterns.sink.delta.DeltaSinks;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.LogicalRDD;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;


import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

/**
 * One micro-batch of the fraud pipeline, in the driver, in this order (every write idempotent by batch id):
 * <ol>
 *   <li>the model version current at the start of the batch ({@link ModelStore#forBatch}) is broadcast and scores the
 *       batch's events (an event id already scored, in an earlier batch or earlier in this one, is not scored again:
 *       it goes to the quarantine as a duplicate delivery) → {@code scores} (with the features each event was
 *       scored with, for its label) and {@code alerts};</li>
 *   <li>the batch's labels are joined to the pending features of their events (including events scored in this very
 *       batch, always before) and classified: {@code trained}, {@code duplicate} (the id was trained on already, or
 *       twice in the batch), {@code unknown} (no event scored with that id), {@code expired} (label time more than
 *       the label timeout after the event time) → {@code labels};</li>
 *   <li>the trained labels, in label-time then id order, go through one test-then-train pass of the learner in the
 *       driver, and the result is the next model version, tagged with this batch id → {@code models},
 *       {@code evaluation}, {@code drift}.</li>
 * </ol>
 * A replay of the batch after a crash reads the same model version and the same scored features (both filtered by
 * batch id), so it scores identically and trains the same state once; its writes are skipped as already done.
 */
final class FraudBatch implements VoidFunction2<Dataset<Row>, Long> {
    private static final long serialVersionUID = 1L;
    static final String TRAINED = "trained";
    static final String DUPLICATE = "duplicate";
    static final String UNKNOWN = "unknown";
    static final String EXPIRED = "expired";

    private final FraudOptions o;
    private final LearnerOptions fresh;
    private final String appId;
    private transient ModelStore store;
    private transient Set<String> ready;

    FraudBatch(FraudOptions o, LearnerOptions fresh) {
        this.o = o;
        this.fresh = fresh;
        this.appId = DeltaSinks.appIdFor(Storage.location(o.checkpoint()), "fraud");
    }

    @Override
    public void call(Dataset<Row> batch, Long batchId) {
        // Materialized once; the eager checkpoint also evaluates the batch when every write below is a replay
        // skipped by Delta, so the stateful feature step commits its state for this batch id (SPARK-52008).
        Dataset<Row> rows = batch.localCheckpoint(true, StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> scored = null;
        try {
            SparkSession spark = batch.sparkSession();
            Kinds kinds = Kinds.of(rows);
            OnlineLearner learner = store(spark).forBatch(batchId, fresh);
            long parent = learner.version();
            Dataset<Row> events = rows.filter(col(FraudRows.KIND).equalTo(FraudRows.EVENT))
                    .select(FraudRows.ID, FraudRows.EVENT_TIME, FraudRows.NUM, FraudRows.STR, FraudRows.IMPUTED);
            scored = score(spark, numberDeliveries(spark, events, kinds, batchId), learner.scorer(), batchId)
                    .localCheckpoint(true, StorageLevel.MEMORY_AND_DISK());
            Row counts = scored.agg(expr("count_if(duplicate_of IS NULL)"), expr("count_if(duplicate_of IS NOT NULL)"),
                    expr("count_if(duplicate_of IS NULL AND is_alert)")).first();
            writeScored(scored.filter(col("duplicate_of").isNull()), counts.getLong(0), counts.getLong(2), batchId);
            if (kinds.count(FraudRows.QUARANTINE) + counts.getLong(1) > 0) {
                writeOnce(quarantine(rows, scored), "quarantine", batchId);
            }
            if (o.frozen || kinds.count(FraudRows.LABEL) == 0) {
                return;
            }
            List<Example> examples = labels(spark, rows.filter(col(FraudRows.KIND).equalTo(FraudRows.LABEL)), kinds, batchId);
            OnlineLearner.Outcome outcome = learner.train(examples);
            if (!examples.isEmpty()) {
                Metrics last = outcome.evaluations().isEmpty() ? null
                        : outcome.evaluations().get(outcome.evaluations().size() - 1).champion();
                store(spark).appendOnce(learner, batchId, parent, last == null ? Double.NaN : last.auc(),
                        last == null ? Double.NaN : last.logLoss(), appId + ":models");
            }
            if (!outcome.evaluations().isEmpty()) {
                writeOnce(FraudTables.evaluation(spark, outcome.evaluations(), learner.version(), batchId), "evaluation", batchId);
            }
            if (!outcome.drifts().isEmpty()) {
                writeOnce(FraudTables.drift(spark, outcome.drifts(), learner.version(), batchId), "drift", batchId);
            }
        } finally {
            release(scored);
            release(rows);
        }
    }

    /** Rows per kind and the time bounds of events and labels, from one aggregation over the batch. */
    private record Kinds(java.util.Map<String, Row> byKind) {
        static Kinds of(Dataset<Row> rows) {
            java.util.Map<String, Row> m = new java.util.HashMap<>();
            for (Row r : rows.groupBy(FraudRows.KIND).agg(expr("count(*)"), expr("min(" + FraudRows.EVENT_TIME + ")"),
                    expr("min(" + FraudRows.LABEL_TIME + ")"), expr("max(" + FraudRows.LABEL_TIME + ")")).collectAsList()) {
                m.put(r.getString(0), r);
            }
            return new Kinds(m);
        }

        long count(String kind) {
            return byKind.containsKey(kind) ? byKind.get(kind).getLong(1) : 0;
        }

        Timestamp minEventTime() {
            return count(FraudRows.EVENT) == 0 ? null : byKind.get(FraudRows.EVENT).getTimestamp(2);
        }

        Timestamp minLabelTime() {
            return byKind.get(FraudRows.LABEL).getTimestamp(3);
        }

        Timestamp maxLabelTime() {
            return byKind.get(FraudRows.LABEL).getTimestamp(4);
        }
    }

    private ModelStore store(SparkSession spark) {
        if (store == null) {
            store = new ModelStore(spark, o.table("models"));
        }
        return store;
    }

    /**
     * The batch's events with {@code duplicate_of}: null for the first delivery of an id, otherwise where it was
     * scored first (an earlier batch, from {@code scores}, within the label timeout; or this batch).
     */
    private Dataset<Row> numberDeliveries(SparkSession spark, Dataset<Row> events, Kinds kinds, long batchId) {
        Dataset<Row> ranked = events.withColumn("rank", row_number().over(Window.partitionBy(FraudRows.ID)
                .orderBy(col(FraudRows.EVENT_TIME), col(FraudRows.NUM).cast("string"), col(FraudRows.STR).cast("string"))));
        if (kinds.minEventTime() == null || !exists(spark, "scores")) {
            return ranked.withColumn("duplicate_of", when(col("rank").gt(1), lit("this batch"))).drop("rank");
        }
        Timestamp from = new Timestamp(kinds.minEventTime().getTime() - o.labelTimeout.toMillis());
        Dataset<Row> earlier = scoredBefore(spark).filter(col("batch_id").lt(batchId)
                        .and(col(FraudRows.EVENT_TIME).geq(lit(from))))
                .groupBy(FraudRows.ID).agg(expr("min(batch_id) AS first_batch"));
        return ranked.join(earlier, ranked.col(FraudRows.ID).equalTo(earlier.col(FraudRows.ID)), "left")
                .select(ranked.col("*"), when(earlier.col("first_batch").isNotNull(),
                                concat(lit("batch "), earlier.col("first_batch").cast("string")))
                        .when(col("rank").gt(1), lit("this batch")).alias("duplicate_of"))
                .drop("rank");
    }

    /** Every event scored so far with its features and scores, in the pipeline's column names. */
    private Dataset<Row> scoredBefore(SparkSession spark) {
        return read(spark, "scores").select(col(o.idColumn).cast("string").alias(FraudRows.ID),
                col(o.timeColumn).alias(FraudRows.EVENT_TIME), col("features_num").alias(FraudRows.NUM),
                col("features_str").alias(FraudRows.STR), col("score"), col("challenger_score"), col("batch_id"));
    }

    private Dataset<Row> score(SparkSession spark, Dataset<Row> events, Scorer scorer, long batchId) {
        Broadcast<Scorer> bc = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(scorer);
        return events.mapPartitions(new ScoreEvents(bc), Encoders.row(ScoreEvents.SCHEMA))
                .withColumn("batch_id", lit(batchId));
    }

    /**
     * {@code scores}: every event scored, with the features it was scored with (its label joins them later);
     * {@code alerts}: those at or above the threshold.
     */
    private void writeScored(Dataset<Row> scored, long events, long alertCount, long batchId) {
        Dataset<Row> out = scored.select(col(FraudRows.ID).alias(o.idColumn), col(FraudRows.EVENT_TIME).alias(o.timeColumn),
                col("score"), col("model_version"), col("is_alert"), col("anomaly_score"), col("challenger_score"),
                col(FraudRows.IMPUTED).alias("imputed_features"), col("batch_id"),
                col(FraudRows.NUM).alias("features_num"), col(FraudRows.STR).alias("features_str"));
        if (events > 0 || !exists(scored.sparkSession(), "scores")) {
            writeOnce(out, "scores", batchId);
        }
        if (alertCount > 0) {
            Dataset<Row> alerts = out.filter(col("is_alert")).drop("features_num", "features_str");
            writeOnce(alerts, "alerts", batchId);
            if (o.alertsTopic != null) {
                // a plain Kafka write: at least once (a replayed batch sends its alerts again); consumers dedup on the id
                alerts.select(col(o.idColumn).cast("string").alias("key"), to_json(struct(col("*"))).alias("value"))
                        .write().format("kafka").option("kafka.bootstrap.servers", o.alertsBootstrap)
                        .option("topic", o.alertsTopic).save();
            }
        }
    }

    /** Bad records of both inputs, and duplicate deliveries of an event id. */
    private static Dataset<Row> quarantine(Dataset<Row> rows, Dataset<Row> scored) {
        Dataset<Row> bad = rows.filter(col(FraudRows.KIND).equalTo(FraudRows.QUARANTINE))
                .select("raw", "reason", "source", "input");
        Dataset<Row> dups = scored.filter(col("duplicate_of").isNotNull())
                .select(to_json(struct(col(FraudRows.ID), col(FraudRows.EVENT_TIME))).alias("raw"),
                        concat(lit("duplicate event id, already scored in "), col("duplicate_of")).alias("reason"),
                        lit(null).cast("string").alias("source"), lit("events").alias("input"));
        return bad.unionByName(dups).withColumn("quarantined_at", current_timestamp());
    }

    /** Classifies the batch's labels into {@code labels} and returns the ones to train on, in training order. */
    private List<Example> labels(SparkSession spark, Dataset<Row> labels, Kinds kinds, long batchId) {
        Timestamp from = new Timestamp(kinds.minLabelTime().getTime() - o.labelTimeout.toMillis());
        Dataset<Row> pending = (exists(spark, "scores") ? scoredBefore(spark)
                : spark.createDataFrame(List.of(), ScoreEvents.SCHEMA).select(col(FraudRows.ID), col(FraudRows.EVENT_TIME),
                        col(FraudRows.NUM), col(FraudRows.STR), col("score"), col("challenger_score"),
                        lit(0L).alias("batch_id")))
                .filter(col("batch_id").leq(batchId).and(col(FraudRows.EVENT_TIME).geq(lit(from)))
                        .and(col(FraudRows.EVENT_TIME).leq(lit(kinds.maxLabelTime()))))
                .withColumnRenamed("batch_id", "scored_batch").withColumnRenamed(FraudRows.ID, "p_id");
        Dataset<Row> trainedBefore = exists(spark, "labels")
                ? read(spark, "labels").filter(col("batch_id").lt(batchId).and(col("outcome").equalTo(TRAINED))
                        .and(col(FraudRows.EVENT_TIME).geq(lit(from)))).select(col(FraudRows.ID).alias("t_id")).distinct()
                : spark.createDataFrame(List.of(), new StructType().add("t_id", DataTypes.StringType));
        Dataset<Row> ranked = labels.select(FraudRows.ID, FraudRows.LABEL_VALUE, FraudRows.LABEL_TIME)
                .withColumn("rank", row_number().over(Window.partitionBy(FraudRows.ID)
                        .orderBy(col(FraudRows.LABEL_TIME), col(FraudRows.LABEL_VALUE))));
        long timeoutMicros = o.labelTimeout.toMillis() * 1000;
        Column outcome = when(col("rank").gt(1).or(col("t_id").isNotNull()), lit(DUPLICATE))
                .when(col("p_id").isNull(), lit(UNKNOWN))
                .when(expr("unix_micros(" + FraudRows.LABEL_TIME + ") - unix_micros(" + FraudRows.EVENT_TIME + ")")
                        .gt(timeoutMicros), lit(EXPIRED))
                .otherwise(lit(TRAINED));
        Dataset<Row> joined = ranked.join(pending, ranked.col(FraudRows.ID).equalTo(pending.col("p_id")), "left")
                .join(trainedBefore, ranked.col(FraudRows.ID).equalTo(trainedBefore.col("t_id")), "left")
                .withColumn("outcome", outcome)
                .localCheckpoint(true, StorageLevel.MEMORY_AND_DISK());
        try {
            writeOnce(joined.select(col(FraudRows.ID), col(FraudRows.EVENT_TIME), col(FraudRows.LABEL_VALUE),
                    col(FraudRows.LABEL_TIME), col("outcome"), col("scored_batch"), lit(batchId).alias("batch_id")),
                    "labels", batchId);
            List<Row> train = joined.filter(col("outcome").equalTo(TRAINED))
                    .select(FraudRows.ID, FraudRows.EVENT_TIME, FraudRows.NUM, FraudRows.STR, "score", "challenger_score",
                            FraudRows.LABEL_VALUE)
                    .orderBy(col(FraudRows.LABEL_TIME), col(FraudRows.ID)).collectAsList();
            List<Example> out = new ArrayList<>(train.size());
            for (Row r : train) {
                out.add(new Example(r.getString(0), r.getTimestamp(1).getTime(), ScoreEvents.numbers(r.getList(2)),
                        ScoreEvents.strings(r.getList(3)), r.getDouble(4), r.getDouble(5), r.getInt(6)));
            }
            return out;
        } finally {
            release(joined);
        }
    }

    /** Appends {@code df} to table {@code name} once for this batch id (the callers skip empty writes). */
    private void writeOnce(Dataset<Row> df, String name, long batchId) {
        DeltaSinks.appendOnce(df.coalesce(1), o.table(name), appId + ":" + name, batchId);
        ready().add(name);
    }

    private boolean exists(SparkSession spark, String name) {
        if (!ready().contains(name) && DeltaTable.isDeltaTable(spark, o.table(name))) {
            ready().add(name);
        }
        return ready().contains(name);
    }

    private Set<String> ready() {
        if (ready == null) {
            ready = new HashSet<>();
        }
        return ready;
    }

    private Dataset<Row> read(SparkSession spark, String name) {
        return spark.read().format("delta").load(o.table(name));
    }

    /** Frees the blocks of a {@code localCheckpoint} now (as in the ingest sink). */
    private static void release(Dataset<Row> checkpointed) {
        if (checkpointed == null) {
            return;
        }
        LogicalPlan plan = checkpointed.queryExecution().analyzed();
        if (plan instanceof LogicalRDD) {
            checkpointed.sparkSession().sparkContext().unpersistRDD(((LogicalRDD) plan).rdd().id(), false);
        }
    }
}
