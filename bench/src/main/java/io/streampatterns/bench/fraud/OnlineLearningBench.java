package io.streampatterns.bench.fraud;

import io.streampatterns.apps.fraud.FraudApp;
import io.streampatterns.apps.fraud.FraudCommand;
import io.streampatterns.apps.fraud.FraudOptions;
import io.streampatterns.apps.fraud.OfflineBaseline;
import io.streampatterns.apps.generate.Dataset;
import io.streampatterns.apps.generate.Generation;
import io.streampatterns.apps.generate.GeneratorOptions;
import io.streampatterns.apps.generate.OutputOptions;
import io.streampatterns.apps.ingest.BuiltinSchemas;
import io.streampatterns.apps.io.RawInput;
import io.streampatterns.bench.BenchContext;
import io.streampatterns.bench.BenchData;
import io.streampatterns.bench.Measured;
import io.streampatterns.bench.Plan;
import io.streampatterns.bench.Protocol;
import io.streampatterns.bench.Side;
import io.streampatterns.bench.Benchmark;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;

import static org.apache.spark.sql.functions.col;

/**
 * {@code online-learning}: the {@code fraud} pipeline over generated transactions with a concept drift half-way
 * ({@code generate transactions --drift-at}), 20 files of events and their label files, one of each per micro-batch.
 * Ours: scoring + label join + training with {@code --features amount,merchant_id,country,currency}; baseline: the
 * same pipeline scoring with a frozen model (no label join, no training). Beside them: the built-in per-card features
 * (events/s), the prequential AUC of the online model vs MLlib LogisticRegression trained on every label known
 * before the drift's batch, on the labelled events from then on, and how long the drift took to detect.
 * Full size: 2M events (40,000 cards: five simulated days); quick: 100k.
 */
public final class OnlineLearningBench implements Benchmark {
    private static final List<String> FEATURES = List.of("amount", "merchant_id", "country", "currency");
    private static final int FILES = 20;

    @Override
    public String name() {
        return "online-learning";
    }

    @Override
    public String description() {
        return "fraud pipeline: score + train (FTRL, delayed labels) vs score with a frozen model; AUC vs MLlib; drift delay";
    }

    @Override
    public Plan plan(BenchContext ctx) throws Exception {
        long events = ctx.events(2_000_000, 100_000);
        long driftAt = events / 2;
        long perFile = events / FILES;
        Path in = ctx.workDir().getParent().resolve("transactions-drift-" + events);
        if (!Files.isDirectory(in)) {
            Generation.run(Dataset.TRANSACTIONS, GeneratorOptions.seed(BenchData.SEED).withCards((int) (events / 50))
                    .withDriftAt(driftAt), OutputOptions.of(in, events).withEventsPerFile((int) perFile));
        }
        SparkSession spark = ctx.spark();
        int window = (int) (events / 40);
        Side ours = Side.of("ours", rep -> {
            FraudOptions o = FraudOptions.of(ctx.runDir("ours", rep).toString()).withFeatures(FEATURES).withEvalWindow(window);
            return figures(spark, o, run(spark, in, o, events), driftAt, perFile);
        });
        Side frozen = Side.of("frozen_model", rep -> {
            FraudOptions o = FraudOptions.of(ctx.runDir("frozen", rep).toString()).withFeatures(FEATURES)
                    .withEvalWindow(window).withFrozenModel();
            return run(spark, in, o, events);
        });
        Side builtin = Side.of("builtin_features", rep -> run(spark, in,
                FraudOptions.of(ctx.runDir("builtin", rep).toString()).withEvalWindow(window), events));
        return Plan.of(ours, frozen, builtin).figures(runs -> {
            java.util.Map<String, Object> f = new java.util.LinkedHashMap<>();
            f.put("events", events);
            f.put("drift_at", driftAt);
            f.put("eval_window_labels", window);
            f.putAll(runs.get("ours").get(runs.get("ours").size() - 1).figures());
            f.put("builtin_features_eps", Math.round(Protocol.medianEps(runs.get("builtin_features"))));
            return f;
        });
    }

    /** One run of the pipeline with {@code o}; the digest is the number of events scored (every side scores each once). */
    private static Measured run(SparkSession spark, Path in, FraudOptions o, long events) throws Exception {
        Measured m = Measured.of(events, () -> {
            StreamingQuery q = FraudApp.start(FraudCommand.topLevelFiles(RawInput.files(spark, in, 1), in),
                    RawInput.files(spark, in.resolve("labels"), 1), BuiltinSchemas.resolve("transactions", null, null),
                    o, Trigger.AvailableNow());
            q.awaitTermination();
            return null;
        });
        return m.digest("scored " + table(spark, o, "scores").count());
    }

    /** The online model's figures: prequential vs offline AUC, drift detection delay, AUC per window, promotions. */
    private static Measured figures(SparkSession spark, FraudOptions ours, Measured m, long driftAt, long perFile) {
        long driftBatch = driftAt / perFile;
        Timestamp driftTime = (Timestamp) table(spark, ours, "scores").filter(col("batch_id").equalTo(driftBatch))
                .agg(org.apache.spark.sql.functions.min("ts")).first().get(0);
        List<Row> drifts = table(spark, ours, "drift").filter(col("batch_id").geq(driftBatch)).orderBy("batch_id", "labels_so_far")
                .collectAsList();
        long detectedBatch = drifts.isEmpty() ? -1 : drifts.get(0).<Long>getAs("batch_id");
        long postDriftLabels = detectedBatch < 0 ? -1 : table(spark, ours, "labels")
                .filter(col("outcome").equalTo("trained").and(col("batch_id").leq(detectedBatch))
                        .and(col("event_time").geq(driftTime))).count();
        List<Row> eval = table(spark, ours, "evaluation").orderBy("window").collectAsList();
        OfflineBaseline.Result auc = OfflineBaseline.compare(spark, ours, driftBatch);
        return m.with("auc_online", round(auc.aucOnline()))
                .with("auc_offline", round(auc.aucOffline()))
                .with("auc_test_labels", auc.testLabels())
                .with("drift_detected_after_events", detectedBatch < 0 ? -1 : (detectedBatch + 1) * perFile - driftAt)
                .with("drift_detected_after_labels", postDriftLabels)
                .with("drift_detector", drifts.isEmpty() ? "none" : drifts.get(0).getAs("detector"))
                .with("auc_windows", eval.stream().map(r -> r.isNullAt(r.fieldIndex("auc")) ? Double.NaN
                        : round(r.<Double>getAs("auc"))).toList())
                .with("promotions", eval.stream().filter(r -> r.<Boolean>getAs("promoted")).count());
    }

    private static org.apache.spark.sql.Dataset<Row> table(SparkSession spark, FraudOptions o, String name) {
        return spark.read().format("delta").load(o.table(name));
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
