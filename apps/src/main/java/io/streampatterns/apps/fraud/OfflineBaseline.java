package io.streampatterns.apps.fraud;

import io.streampatterns.online.FeatureEncoder;
import io.streampatterns.online.LearnerOptions;
import io.streampatterns.online.Metrics;
import io.streampatterns.online.OnlineScaler;
import io.streampatterns.online.SparseVector;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.col;

/**
 * The batch-trained model a fraud team starts from, on the same events: Spark MLlib {@code LogisticRegression}
 * trained on every label known before micro-batch {@code split} (the features the events were scored with, encoded
 * like the online model's, scaled with statistics of that training set), then frozen and scored on the labelled
 * events of the later batches; next to the online model's prequential scores of those same events.
 */
public final class OfflineBaseline {
    private OfflineBaseline() {
    }

    /** AUCs on the labels that arrived from batch {@code split} on, and how many labels trained / tested. */
    public record Result(double aucOnline, double aucOffline, long trainLabels, long testLabels) {
    }

    public static Result compare(SparkSession spark, FraudOptions o, long split) {
        Dataset<Row> labels = spark.read().format("delta").load(o.table("labels")).filter(col("outcome").equalTo("trained"))
                .select(col(FraudRows.ID), col(FraudRows.LABEL_VALUE), col("batch_id"));
        Dataset<Row> pending = spark.read().format("delta").load(o.table("scores"))
                .select(col(o.idColumn).cast("string").alias("p_id"), col("features_num").alias(FraudRows.NUM),
                        col("features_str").alias(FraudRows.STR), col("score"));
        List<Row> rows = labels.join(pending, labels.col(FraudRows.ID).equalTo(pending.col("p_id")))
                .select(FraudRows.LABEL_VALUE, "batch_id", FraudRows.NUM, FraudRows.STR, "score")
                .orderBy("batch_id", "p_id").collectAsList();
        List<Row> train = new ArrayList<>();
        List<Row> test = new ArrayList<>();
        for (Row r : rows) {
            (r.getLong(1) < split ? train : test).add(r);
        }
        int numeric = train.isEmpty() ? 0 : train.get(0).getList(2).size();
        int strings = train.isEmpty() ? 0 : train.get(0).getList(3).size();
        FeatureEncoder encoder = FeatureEncoder.of(numeric, strings, LearnerOptions.DEFAULT_DIM);
        OnlineScaler scaler = OnlineScaler.create(numeric);
        for (Row r : train) {
            scaler.update(ScoreEvents.numbers(r.getList(2)));
        }
        StructType schema = new StructType().add("label", DataTypes.DoubleType).add("features", SQLDataTypes.VectorType());
        LogisticRegressionModel model = new LogisticRegression().setMaxIter(50).setRegParam(0.001)
                .fit(spark.createDataFrame(vectors(train, encoder, scaler), schema));
        double[] online = new double[test.size()];
        double[] offline = new double[test.size()];
        int[] y = new int[test.size()];
        for (int k = 0; k < test.size(); k++) {
            Row r = test.get(k);
            y[k] = r.getInt(0);
            online[k] = r.getDouble(4);
            offline[k] = model.predictProbability(vector(r, encoder, scaler)).apply(1);
        }
        return new Result(Metrics.of(online, y, y.length, 0.5).auc(), Metrics.of(offline, y, y.length, 0.5).auc(),
                train.size(), test.size());
    }

    private static List<Row> vectors(List<Row> rows, FeatureEncoder encoder, OnlineScaler scaler) {
        List<Row> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            out.add(RowFactory.create((double) r.getInt(0), vector(r, encoder, scaler)));
        }
        return out;
    }

    /** The online model's encoding as an MLlib vector (hashed strings that collide add up, as in the online model). */
    private static Vector vector(Row r, FeatureEncoder encoder, OnlineScaler scaler) {
        SparseVector x = encoder.encode(scaler, ScoreEvents.numbers(r.getList(2)), ScoreEvents.strings(r.getList(3)));
        TreeMap<Integer, Double> merged = new TreeMap<>();
        for (int k = 0; k < x.size(); k++) {
            merged.merge(x.index(k), x.value(k), Double::sum);
        }
        int[] idx = merged.keySet().stream().mapToInt(Integer::intValue).toArray();
        double[] val = merged.values().stream().mapToDouble(Double::doubleValue).toArray();
        return Vectors.sparse(encoder.dim(), idx, val);
    }
}
