package io.streampatterns.apps.fraud;

import io.streampatterns.online.Metrics;
import io.streampatterns.online.OnlineLearner;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/** Row layouts of the {@code labels}, {@code evaluation} and {@code drift} tables. */
final class FraudTables {
    static final StructType LABELS = new StructType()
            .add(FraudRows.ID, DataTypes.StringType)
            .add(FraudRows.EVENT_TIME, DataTypes.TimestampType)
            .add(FraudRows.LABEL_VALUE, DataTypes.IntegerType)
            .add(FraudRows.LABEL_TIME, DataTypes.TimestampType)
            .add("outcome", DataTypes.StringType)
            .add("scored_batch", DataTypes.LongType)
            .add("batch_id", DataTypes.LongType, false);

    static final StructType EVALUATION = new StructType()
            .add("window", DataTypes.LongType)
            .add("labels_so_far", DataTypes.LongType)
            .add("first_event_time", DataTypes.TimestampType)
            .add("last_event_time", DataTypes.TimestampType)
            .add("labels", DataTypes.LongType)
            .add("positives", DataTypes.LongType)
            .add("auc", DataTypes.DoubleType)
            .add("log_loss", DataTypes.DoubleType)
            .add("precision", DataTypes.DoubleType)
            .add("recall", DataTypes.DoubleType)
            .add("challenger_auc", DataTypes.DoubleType)
            .add("challenger_log_loss", DataTypes.DoubleType)
            .add("promoted", DataTypes.BooleanType)
            .add("model_version", DataTypes.LongType)
            .add("batch_id", DataTypes.LongType);

    static final StructType DRIFT = new StructType()
            .add("detector", DataTypes.StringType)
            .add("labels_so_far", DataTypes.LongType)
            .add("event_id", DataTypes.StringType)
            .add("event_time", DataTypes.TimestampType)
            .add("action", DataTypes.StringType)
            .add("model_version", DataTypes.LongType)
            .add("batch_id", DataTypes.LongType);

    private FraudTables() {
    }

    static Dataset<Row> evaluation(SparkSession spark, List<OnlineLearner.Evaluation> evaluations, long version, long batchId) {
        List<Row> rows = new ArrayList<>();
        for (OnlineLearner.Evaluation e : evaluations) {
            Metrics c = e.champion();
            Metrics x = e.challenger();
            rows.add(RowFactory.create(e.window(), e.labelsSoFar(), new Timestamp(e.firstEventMillis()),
                    new Timestamp(e.lastEventMillis()), c.count(), c.positives(), orNull(c.auc()), orNull(c.logLoss()),
                    orNull(c.precision()), orNull(c.recall()), orNull(x.auc()), orNull(x.logLoss()), e.promoted(),
                    version, batchId));
        }
        return spark.createDataFrame(rows, EVALUATION);
    }

    static Dataset<Row> drift(SparkSession spark, List<OnlineLearner.Drift> drifts, long version, long batchId) {
        List<Row> rows = new ArrayList<>();
        for (OnlineLearner.Drift d : drifts) {
            rows.add(RowFactory.create(d.detector(), d.labelsSoFar(), d.eventId(), new Timestamp(d.eventMillis()),
                    d.action(), version, batchId));
        }
        return spark.createDataFrame(rows, DRIFT);
    }

    private static Double orNull(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
