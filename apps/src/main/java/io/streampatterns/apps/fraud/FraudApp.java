package io.streampatterns.apps.fraud;

import io.streampatterns.quarantine.EventSchema;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

import java.util.concurrent.TimeoutException;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * Use case 3: fraud / anomaly detection with online learning, exactly once.
 *
 * <p>events + labels (raw records) → validation with quarantine → features (built-in per-card features in state, or
 * the {@code --features} columns) → one stream of {@link FraudRows} → {@link FraudBatch} per micro-batch: score with
 * the model version current at the start of the batch, join the labels that arrived to the features their events
 * were scored with, train once in the driver, store the next version tagged with the batch id.</p>
 */
public final class FraudApp {
    private FraudApp() {
    }

    /** The unified input stream (events, labels, quarantined records of both), as {@link FraudBatch} receives it. */
    public static Dataset<Row> build(Dataset<Row> rawEvents, Dataset<Row> rawLabels, EventSchema eventSchema,
                                     FraudOptions options) {
        FeatureLayout layout = layout(eventSchema, options);
        EventSchema read = FraudInputs.eventSchema(eventSchema, options, layout);
        return FraudInputs.union(rawEvents, rawLabels, read, options, layout)
                .observe("fraud", count(lit(1)).alias("rows"),
                        sum(when(col(FraudRows.KIND).equalTo(FraudRows.QUARANTINE), 1).otherwise(0)).alias("quarantined"));
    }

    /** Builds the pipeline and starts it with its sinks. */
    public static StreamingQuery start(Dataset<Row> rawEvents, Dataset<Row> rawLabels, EventSchema eventSchema,
                                       FraudOptions options, Trigger trigger) {
        FeatureLayout layout = layout(eventSchema, options);
        try {
            return build(rawEvents, rawLabels, eventSchema, options).writeStream()
                    .queryName("fraud")
                    .option("checkpointLocation", options.checkpoint())
                    .trigger(trigger)
                    .foreachBatch(new FraudBatch(options, options.learner(layout.numeric().size(), layout.strings().size())))
                    .start();
        } catch (TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    static FeatureLayout layout(EventSchema eventSchema, FraudOptions options) {
        return options.builtinFeatures() ? FeatureLayout.builtin() : FeatureLayout.of(eventSchema.fields(), options.features);
    }
}
