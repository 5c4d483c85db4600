package io.streampatterns.quarantine;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF4;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

/**
 * Quarantine without a second read of the input: the step that lets only good records on into a pipeline's stateful
 * steps captures the quarantined ones as they pass (in a Spark accumulator), and the pipeline's sink writes them after
 * it evaluated the micro-batch, in the same query. Without it, a pipeline whose output is not the validated records
 * themselves (windows, sessions, statistics, joins) needs a second query that reads and parses the input again only to
 * find its bad records.
 *
 * <pre>{@code
 * QuarantineTap tap = QuarantineTap.register(spark, "aggregate");
 * Dataset<Row> events = tap.good(validated);          // then windows, sessions, ...
 * // in the sink, after the batch was evaluated once (e.g. localCheckpoint):
 * Dataset<Row> bad = tap.drain(spark, reread);        // raw, reason, source: this batch's quarantined records
 * }</pre>
 *
 * <p>Exactly once: the sink evaluates each batch once (a replay evaluates it again and captures the same records) and
 * writes what it drained idempotently by batch id; a record captured twice (a retried task) is kept once, by its
 * source. Memory: records are kept up to {@link #MAX_BYTES} per batch; beyond, only the range of positions per file or
 * partition is kept, and {@link #drain} reads those ranges again and validates them at the batch's time.</p>
 */
public final class QuarantineTap implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    /** Captured text per micro-batch kept in memory (on the driver) before falling back to reading ranges again. */
    static final long MAX_BYTES = 64L << 20;
    /** Columns of what {@link #drain} returns. */
    public static final StructType QUARANTINE = new StructType().add(Validation.RAW, DataTypes.StringType)
            .add(Validation.REASON, DataTypes.StringType).add(Validation.SOURCE, DataTypes.StringType);

    private final CapturedRecords captured;

    private QuarantineTap(CapturedRecords captured) {
        this.captured = captured;
    }

    /** A tap registered with the session's SparkContext; {@code name} names its accumulator. */
    public static QuarantineTap register(SparkSession spark, String name) {
        return register(spark, name, MAX_BYTES);
    }

    static QuarantineTap register(SparkSession spark, String name, long maxBytes) {
        CapturedRecords acc = new CapturedRecords(maxBytes);
        spark.sparkContext().register(acc, "quarantine:" + name);
        return new QuarantineTap(acc);
    }

    /**
     * The good records of {@code validated} (a {@code Validation} output: {@code reason} null), with the bookkeeping
     * columns still there; the others are captured as they are filtered out. The capture runs only for bad records.
     */
    public Dataset<Row> good(Dataset<Row> validated) {
        UserDefinedFunction capture = udf(new Capture(captured), DataTypes.BooleanType).asNondeterministic();
        Column captureBad = capture.apply(col(Validation.RAW), col(Validation.REASON), col(Validation.SOURCE),
                current_timestamp());
        return validated.filter(when(col(Validation.REASON).isNull(), lit(true)).otherwise(captureBad));
    }

    /**
     * The quarantined records of the micro-batch just evaluated ({@link #QUARANTINE} columns), and clears the tap; the
     * records it could not keep in memory are read again with {@code reread}.
     */
    public Dataset<Row> drain(SparkSession spark, Reread reread) {
        CapturedRecords.Snapshot batch = captured.value();
        captured.reset();
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, String[]> e : batch.records().entrySet()) {
            rows.add(RowFactory.create(e.getValue()[0], e.getValue()[1], e.getKey()));
        }
        Dataset<Row> kept = spark.createDataFrame(rows, QUARANTINE);
        Map<String, long[]> overflow = batch.overflow();
        long batchMicros = batch.batchMicros();
        if (overflow.isEmpty()) {
            return kept;
        }
        Dataset<Row> again = reread.validated(overflow, Instant.EPOCH.plus(batchMicros, ChronoUnit.MICROS))
                .filter(col(Validation.REASON).isNotNull())
                .select(col(Validation.RAW), col(Validation.REASON), col(Validation.SOURCE));
        Dataset<Row> keptSources = kept.select(col(Validation.SOURCE).as("__kept"));
        return kept.unionByName(again.join(keptSources, again.col(Validation.SOURCE).equalTo(keptSources.col("__kept")),
                "left_anti"));
    }

    /** How a pipeline reads positions of its input again: per origin, {first, last} position, validated at {@code now}. */
    @FunctionalInterface
    public interface Reread {
        /** For inputs that cannot be read again (in-memory streams): a batch with too many bad records fails. */
        static Reread unsupported() {
            return (ranges, now) -> {
                throw new IllegalStateException("more quarantined records in one micro-batch than the quarantine keeps in "
                        + "memory, and this input cannot be read again: " + ranges.keySet());
            };
        }

        /** Validated records ({@code Validation} output) of the given positions, the future horizon taken from {@code now}. */
        Dataset<Row> validated(Map<String, long[]> ranges, Instant now);
    }

    /** The capture: adds the record to the accumulator, keeps nothing (returns false). */
    private static final class Capture implements UDF4<String, String, String, Timestamp, Boolean> {
        private static final long serialVersionUID = 1L;
        private final CapturedRecords acc;

        Capture(CapturedRecords acc) {
            this.acc = acc;
        }

        @Override
        public Boolean call(String raw, String reason, String source, Timestamp batchTime) {
            long micros = batchTime.getTime() * 1000 + (batchTime.getNanos() / 1000) % 1000;
            acc.add(new CapturedRecords.Record(raw, reason, source, micros));
            return false;
        }
    }
}
