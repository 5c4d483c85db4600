package io.streampatterns.dedup;

import io.streampatterns.core.ConfigException;
import io.streampatterns.core.EventTime;
import io.streampatterns.core.Step;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.TimeMode;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * Drops records whose event id was already seen, remembering each id until the watermark passes its event
 * time + the watermark delay (the semantics of Spark's {@code dropDuplicatesWithinWatermark}), but unlike it
 * <em>never drops a record silently for being late</em>: a record behind the watermark is compared with the ids
 * still remembered and passed on if it is not one of them.
 *
 * <p>Rows that carry a quarantine reason (column {@code reason} not null) bypass the check: they are routed to the
 * quarantine, not deduplicated; so do rows with a null id or a null event time. Built on {@code transformWithState}
 * (RocksDB state): the ids are spread over {@value #BUCKETS} buckets, each holding its ids in a few immutable sorted
 * chunks (see {@link DedupProcessor}), so that a micro-batch costs a few state-store operations per bucket instead of
 * one or two per event, and one event-time timer per bucket deletes expired chunks.</p>
 *
 * <pre>{@code
 * Dataset<Row> unique = Dedup.of(Dedup.Options.of("event_id", EventTime.of("ts", Duration.ofMinutes(10)))).apply(validated);
 * }</pre>
 *
 * <p>Watermark: the {@link EventTime} rule; an id is remembered for the delay of the watermark in effect (the input's,
 * when it carries one on the time column, else the options' lateness).</p>
 */
public final class Dedup implements Step {
    /** Buckets of ids (grouping keys of the state); part of the state layout, so fixed for a checkpoint. */
    static final int BUCKETS = 1024;
    static final String BUCKET = "__dedup_bucket";
    static final String ID = "__dedup_id";
    static final String NAME = "dedup";

    private final Options options;

    private Dedup(Options options) {
        this.options = options;
    }

    /**
     * Keeps the first record of each id seen within the watermark delay of event time; see the class comment.
     */
    public static Step of(Options options) {
        ConfigException.check(options != null, "dedup: options are required");
        return new Dedup(options);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Dataset<Row> apply(Dataset<Row> in) {
        String timeColumn = options.eventTime.column();
        String idColumn = options.idColumn;
        Dataset<Row> watermarked = options.eventTime.watermark(in, NAME);
        Duration delay = options.eventTime.delay(watermarked, NAME);
        ConfigException.check(!delay.isNegative() && !delay.isZero(), "dedup delay must be positive, got " + delay);
        List<String> columns = Arrays.asList(in.columns());
        Column id = watermarked.col(idColumn).cast("string");
        Column dedupId = columns.contains("reason") ? when(watermarked.col("reason").isNull(), id) : id;
        // rows that bypass the check spread over the buckets by their source, if any
        Column spread = columns.contains("source") ? coalesce(dedupId, watermarked.col("source")) : dedupId;
        // A fresh attribute for the event time (no watermark metadata): transformWithState then does not drop
        // late rows itself, and the processor decides what a late row is.
        Dataset<Row> keyed = watermarked
                .withColumn(timeColumn, watermarked.col(timeColumn).as(timeColumn, Metadata.empty()))
                .withColumn(ID, dedupId)
                .withColumn(BUCKET, pmod(xxhash64(spread), lit(BUCKETS)).cast("int"));
        StructType schema = keyed.schema();
        DedupProcessor processor = new DedupProcessor(schema.fieldIndex(ID), schema.fieldIndex(timeColumn),
                delay.toMillis(), Math.max(1, delay.toMillis() / 2));
        return keyed.groupBy(keyed.col(BUCKET)).as(Encoders.INT(), Encoders.row(schema))
                .transformWithState(processor, TimeMode.EventTime(), OutputMode.Append(), Encoders.row(schema))
                .drop(BUCKET, ID);
    }

    /** The id column and the event time; immutable. */
    public static final class Options implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String idColumn;
        private final EventTime eventTime;

        private Options(String idColumn, EventTime eventTime) {
            this.idColumn = idColumn;
            this.eventTime = eventTime;
        }

        /** Records with the same {@code idColumn} value are duplicates; {@code eventTime}: the watermark and how long ids are kept. */
        public static Options of(String idColumn, EventTime eventTime) {
            ConfigException.check(idColumn != null && !idColumn.isBlank(), "dedup: an id column is required");
            ConfigException.check(eventTime != null, "dedup: the event time is required");
            ConfigException.check(eventTime.lateness().map(d -> !d.isZero()).orElse(true),
                    "dedup delay must be positive, got " + eventTime.lateness().orElse(null));
            return new Options(idColumn, eventTime);
        }

        public String idColumn() {
            return idColumn;
        }

        public EventTime eventTime() {
            return eventTime;
        }
    }
}
