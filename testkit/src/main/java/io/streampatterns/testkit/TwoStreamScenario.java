package io.streampatterns.testkit;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BinaryOperator;

import static org.apache.spark.sql.functions.col;

/**
 * A {@link StreamScenario} for pipelines with two streaming inputs (joins): each step sends rows to the left
 * and the right input together, in the same micro-batch.
 *
 * <p>Both inputs are carved out of one {@code MemoryStream} of tagged rows ({@code side}, {@code left},
 * {@code right} structs), split again by {@code side} before the pipeline sees them. With two separate
 * MemoryStreams the stream thread may start a batch after the left rows were added and before the right
 * ones were, which splits a step over two batches and moves the watermark in between: a flaky test. Each
 * input still gets its own {@code withWatermark} in the pipeline, so watermarks behave as with two sources.</p>
 *
 * <pre>{@code
 * try (TwoStreamScenario s = TwoStreamScenario.of(spark, IMPRESSIONS, CLICKS, (l, r) -> join(l, r)).start()) {
 *     StreamScenario.Step step = s.send(List.of(row("ad1", ts("10:00"))), List.of(row("ad1", ts("10:02"))));
 *     StreamScenario.Step onlyRight = s.sendRight(row("ad2", ts("10:20")));
 * }
 * }</pre>
 */
public final class TwoStreamScenario implements AutoCloseable {
    private static final String SIDE = "side";
    private static final String LEFT = "left";
    private static final String RIGHT = "right";

    private final StreamScenario scenario;

    private TwoStreamScenario(StreamScenario scenario) {
        this.scenario = scenario;
    }

    /** A scenario feeding rows of {@code leftSchema} and {@code rightSchema} through {@code pipeline(left, right)}. */
    public static TwoStreamScenario of(SparkSession spark, StructType leftSchema, StructType rightSchema,
                                       BinaryOperator<Dataset<Row>> pipeline) {
        Objects.requireNonNull(pipeline, "pipeline");
        StructType carrier = new StructType()
                .add(SIDE, DataTypes.StringType, false)
                .add(LEFT, Objects.requireNonNull(leftSchema, "leftSchema"))
                .add(RIGHT, Objects.requireNonNull(rightSchema, "rightSchema"));
        return new TwoStreamScenario(StreamScenario.of(spark, carrier, tagged -> pipeline.apply(
                tagged.filter(col(SIDE).equalTo(LEFT)).select(LEFT + ".*"),
                tagged.filter(col(SIDE).equalTo(RIGHT)).select(RIGHT + ".*"))));
    }

    /** Output mode of the sink: {@code append} (default), {@code update} or {@code complete}. */
    public TwoStreamScenario mode(String outputMode) {
        scenario.mode(outputMode);
        return this;
    }

    public TwoStreamScenario start() {
        scenario.start();
        return this;
    }

    /** Adds {@code left} and {@code right} rows as one micro-batch and runs until the query is idle. */
    public StreamScenario.Step send(List<Row> left, List<Row> right) {
        List<Row> tagged = new ArrayList<>(left.size() + right.size());
        left.forEach(r -> tagged.add(RowFactory.create(LEFT, r, null)));
        right.forEach(r -> tagged.add(RowFactory.create(RIGHT, null, r)));
        return scenario.send(tagged);
    }

    public StreamScenario.Step sendLeft(Row... rows) {
        return send(List.of(rows), List.of());
    }

    public StreamScenario.Step sendRight(Row... rows) {
        return send(List.of(), List.of(rows));
    }

    /** Stops the query and starts it again from the same checkpoint and the same source. */
    public TwoStreamScenario restart() {
        scenario.restart();
        return this;
    }

    /** All rows the sink holds, by batch order. */
    public List<Row> allRows() {
        return scenario.allRows();
    }

    @Override
    public void close() {
        scenario.close();
    }
}
