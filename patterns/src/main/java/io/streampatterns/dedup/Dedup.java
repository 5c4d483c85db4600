package io.streampatterns.dedup;

import io.streampatterns.core.ConfigException;
import io.streampatterns.core.Durations;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.TimeMode;
import org.apache.spark.sql.types.StructType;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.Function;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

/**
 * Drops records whose event id was already seen, remembering each id until the watermark passes its event
 * time + the watermark delay (the semantics of Spark's {@code dropDuplicatesWithinWatermark}), but unlike it
 * <em>never drops a record silently for being late</em>: a record behind the watermark is compared with the ids
 * still remembered and passed on if it is not one of them.
 *
 * <p>Rows that carry a quarantine reason (column {@code reason} not null) bypass the check: they are routed to the
 * quarantine, not deduplicated. Built on {@code transformWithState} (event-time timers expire ids; RocksDB state).</p>
 *
 * <pre>{@code
 * Dataset<Row> unique = validated.transform(Dedup.byEventId("event_id", "ts", Duration.ofMinutes(10))::apply);
 * }</pre>
 */
public final class Dedup {
    static final String KEY = "__dedup_key";

    private Dedup() {
    }

    /**
     * Keeps the first record of each {@code idColumn} value seen within {@code delay} of event time
     * ({@code timeColumn}); sets the watermark on {@code timeColumn} with that delay.
     */
    public static Function<Dataset<Row>, Dataset<Row>> byEventId(String idColumn, String timeColumn, Duration delay) {
        ConfigException.check(delay != null && !delay.isNegative() && !delay.isZero(),
                "dedup delay must be positive, got " + delay);
        return in -> {
            Dataset<Row> watermarked = in.withWatermark(timeColumn, Durations.toSparkInterval(delay));
            boolean hasReason = Arrays.asList(in.columns()).contains("reason");
            Column id = concat(lit("id:"), watermarked.col(idColumn).cast("string"));
            Column key = hasReason
                    ? coalesce(when(watermarked.col("reason").isNull(), id), concat(lit("row:"), watermarked.col("source")))
                    : id;
            // A fresh attribute for the event time (no watermark metadata): transformWithState then does not drop
            // late rows itself, and the processor decides what a late row is.
            Dataset<Row> keyed = watermarked
                    .withColumn(timeColumn, watermarked.col(timeColumn).plus(expr("INTERVAL 0 SECONDS")))
                    .withColumn(KEY, key);
            StructType schema = keyed.schema();
            DedupProcessor processor = new DedupProcessor(schema.fieldIndex(timeColumn),
                    hasReason ? schema.fieldIndex("reason") : -1, delay.toMillis());
            return keyed.groupBy(keyed.col(KEY)).as(Encoders.STRING(), Encoders.row(schema))
                    .transformWithState(processor, TimeMode.EventTime(), OutputMode.Append(), Encoders.row(schema))
                    .drop(KEY);
        };
    }
}
