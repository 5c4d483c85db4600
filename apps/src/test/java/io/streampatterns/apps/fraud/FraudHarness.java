package io.streampatterns.apps.fraud;

import io.streampatterns.online.Example;
import io.streampatterns.online.OnlineLearner;
import io.streampatterns.quarantine.EventSchema;
import io.streampatterns.testkit.TestSpark;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@link FraudBatch} on hand-made micro-batches (generic features: {@code amount} numeric, {@code merchant}
 * string), so that a test decides exactly what each batch id holds, and can replay one.
 */
final class FraudHarness {
    static final EventSchema SCHEMA = EventSchema.fromDdl("tx",
            "id STRING NOT NULL, ts TIMESTAMP NOT NULL, amount DOUBLE, merchant STRING", "ts").withEventId("id");
    static final StructType RAW = new StructType().add("raw", DataTypes.StringType).add("source", DataTypes.StringType);

    final SparkSession spark = TestSpark.get();
    final FraudOptions options;
    FraudBatch sink;

    FraudHarness(Path dir) {
        this.options = FraudOptions.of(dir.resolve("out").toString()).withCheckpoint(dir.resolve("ckpt").toString())
                .withColumns("id", "ts", "label", "label_ts").withFeatures(List.of("amount", "merchant"))
                .withEvalWindow(10).withLabelTimeout(java.time.Duration.ofDays(7));
        this.sink = newSink();
    }

    FraudBatch newSink() {
        return new FraudBatch(options, options.learner(1, 1));
    }

    static String event(String id, String ts, Object amount, String merchant) {
        String a = amount instanceof String s ? "\"" + s + "\"" : String.valueOf(amount);
        return "{\"id\":\"" + id + "\",\"ts\":\"" + ts + "\",\"amount\":" + a + ",\"merchant\":\"" + merchant + "\"}";
    }

    static String label(String id, int label, String labelTs) {
        return "{\"id\":\"" + id + "\",\"label\":" + label + ",\"label_ts\":\"" + labelTs + "\"}";
    }

    /** Runs batch {@code batchId} with these raw event and label lines. */
    void batch(long batchId, List<String> events, List<String> labels) throws Exception {
        sink.call(input(events, labels), batchId);
    }

    Dataset<Row> input(List<String> events, List<String> labels) {
        return FraudApp.build(raw(events, "ev"), raw(labels, "lb"), SCHEMA, options);
    }

    private Dataset<Row> raw(List<String> lines, String file) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            rows.add(RowFactory.create(lines.get(i), file + ":" + (i + 1)));
        }
        return spark.createDataFrame(rows, RAW);
    }

    Dataset<Row> table(String name) {
        return spark.read().format("delta").load(options.table(name));
    }

    /** {@code select} of table {@code name} ordered by {@code order}, each row as its string form. */
    List<String> rows(String name, String select, String order) {
        List<String> out = new ArrayList<>();
        for (Row r : table(name).selectExpr(select.split(",\\s*")).orderBy(order.split(",\\s*")[0],
                order.split(",\\s*").length > 1 ? order.split(",\\s*")[1] : order.split(",\\s*")[0]).collectAsList()) {
            out.add(r.toString());
        }
        return out;
    }

    /** The stored learner of model version {@code version}. */
    OnlineLearner model(long version) {
        return new ModelStore(spark, options.table("models")).load(version);
    }

    /** A fresh learner of the harness's layout, as the pipeline starts with. */
    OnlineLearner freshLearner() {
        return OnlineLearner.create(options.learner(1, 1));
    }

    static Example example(String id, long eventMillis, double amount, String merchant, double score, int label) {
        return new Example(id, eventMillis, new double[] {amount}, new String[] {merchant}, score, score, label);
    }
}
