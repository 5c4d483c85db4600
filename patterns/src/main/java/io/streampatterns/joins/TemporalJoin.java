package io.streampatterns.joins;

import io.streampatterns.core.ConfigException;
import io.streampatterns.core.EventTime;
import io.streampatterns.core.Step;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.TimeMode;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.trim;

/**
 * Temporal (as-of) join of a fact stream with a dimension that arrives as a change stream (CDC): each fact is
 * enriched with the version of its key that was valid at the fact's event time, the change with the latest
 * change time ≤ fact time. A change whose {@code op} column is {@code delete} ends the key's current version:
 * facts after it get nulls until the next upsert. Spark has no such join (Flink's {@code FOR SYSTEM_TIME AS OF}).
 *
 * <p><b>Timing.</b> Each input gets its watermark by the {@link EventTime} rule (its own if it carries one on the
 * time column, else the options' lateness); the query's watermark is the minimum of the two.
 * A fact waits in state until the watermark has passed its time, so a change that arrives late but still
 * inside the watermark is taken into account; then it is emitted exactly once. Rows older than the watermark
 * when they arrive are dropped as late (facts and changes alike, counted in {@code numRowsDroppedByWatermark}):
 * pick a delay that covers the CDC lag. If the change stream goes quiet, its side holds the watermark back and
 * facts wait: give the CDC feed heartbeats (e.g. a periodic no-op upsert) if it can be idle.</p>
 *
 * <p><b>State.</b> Per key: waiting facts and the versions a fact could still need: of the versions at or before
 * the watermark only the latest is kept (dropped too if it is a delete), so state is about one row per live key
 * plus the changes and facts of the last watermark delay.</p>
 *
 * <p><b>Why {@code transformWithState} over a union.</b> A stream–stream join cannot express "the latest change
 * ≤ fact time" (it would need every version and a max per fact, and could not drop superseded versions), and
 * {@code flatMapGroupsWithState} has one timeout per key where a fact per distinct time needs its own timer.
 * Tagging both streams into one schema and grouping by the key lets one processor see facts and changes of a
 * key together, with event-time timers per fact time and RocksDB map/list state that only touches the key's
 * rows.</p>
 *
 * <p>Output: the fact's columns, then every change column except the key, prefixed {@code dim_}. Output mode
 * append. A fact with a null key is passed on at once with null {@code dim_} columns. Times are compared at
 * millisecond precision; two changes of a key with the same time: the last one
 * read wins.</p>
 *
 * <pre>{@code
 * Step enrich = TemporalJoin.of(merchantChanges, TemporalJoin.Options.of("merchant_id",
 *         EventTime.of("ts", Duration.ofMinutes(2)), EventTime.of("changed_at", Duration.ofMinutes(2))));
 * Dataset<Row> enriched = enrich.apply(transactions);
 * }</pre>
 */
public final class TemporalJoin implements Step {
    public static final String DIM_PREFIX = "dim_";
    static final int KEY_FIELD = 0;
    static final int TIME_FIELD = 1;
    static final int DELETE_FIELD = 2;
    static final int FACT_FIELD = 3;
    static final int CHANGE_FIELD = 4;
    static final String NAME = "temporal_join";

    private final Dataset<Row> changes;
    private final Options options;

    private TemporalJoin(Dataset<Row> changes, Options options) {
        this.changes = changes;
        this.options = options;
    }

    /**
     * The step joining its (fact) input with the change stream {@code changes}. Without an operation column every
     * change is an upsert. The other input is an argument, not an option, so that options stay plain values.
     */
    public static Step of(Dataset<Row> changes, Options options) {
        Objects.requireNonNull(changes, "changes");
        Objects.requireNonNull(options, "options");
        return new TemporalJoin(changes, options);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Dataset<Row> apply(Dataset<Row> facts) {
        return join(facts, changes, options);
    }

    /** Options of the join; immutable. */
    public static final class Options implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String key;
        private final EventTime factTime;
        private final EventTime changeTime;
        private final String opColumn;
        private final String deleteOp;

        private Options(String key, EventTime factTime, EventTime changeTime, String opColumn, String deleteOp) {
            this.key = key;
            this.factTime = factTime;
            this.changeTime = changeTime;
            this.opColumn = opColumn;
            this.deleteOp = deleteOp;
        }

        /**
         * Join on {@code key} (same name on both sides), facts in event time {@code factTime}, changes valid from
         * {@code changeTime}; the operation column is {@code op} and a delete is {@code delete} (case-insensitive).
         */
        public static Options of(String key, EventTime factTime, EventTime changeTime) {
            ConfigException.check(key != null && !key.isBlank(), "temporal join: a key column is required");
            ConfigException.check(factTime != null, "temporal join: a fact time column is required");
            ConfigException.check(changeTime != null, "temporal join: a change time column is required");
            return new Options(key, factTime, changeTime, "op", "delete");
        }

        /** The change column holding the operation, and the value that marks a delete. */
        public Options withDeleteWhen(String column, String deleteValue) {
            ConfigException.check(column != null && !column.isBlank(), "temporal join: an operation column is required");
            ConfigException.check(deleteValue != null && !deleteValue.isBlank(), "temporal join: a delete value is required");
            return new Options(key, factTime, changeTime, column, deleteValue);
        }

        public String key() {
            return key;
        }

        public EventTime factTime() {
            return factTime;
        }

        public EventTime changeTime() {
            return changeTime;
        }

        public String opColumn() {
            return opColumn;
        }

        public String deleteOp() {
            return deleteOp;
        }
    }

    /** Output schema: the fact's columns, then the change's non-key columns prefixed {@code dim_}. */
    public static StructType outputSchema(StructType facts, StructType changes, Options o) {
        StructType out = facts;
        for (StructField f : changes.fields()) {
            if (!f.name().equals(o.key)) {
                out = out.add(DIM_PREFIX + f.name(), f.dataType(), true);
            }
        }
        return out;
    }

    private static Dataset<Row> join(Dataset<Row> facts, Dataset<Row> changes, Options o) {
        String factTime = o.factTime.column();
        String changeTime = o.changeTime.column();
        Columns.require(facts, "facts", o.key, factTime);
        Columns.require(changes, "changes", o.key, changeTime);
        StructType factSchema = facts.schema();
        StructType changeSchema = changes.schema();
        ConfigException.check(factSchema.apply(o.key).dataType().equals(changeSchema.apply(o.key).dataType()),
                "temporal join: key '" + o.key + "' is " + factSchema.apply(o.key).dataType().simpleString()
                        + " in facts and " + changeSchema.apply(o.key).dataType().simpleString() + " in changes");
        Dataset<Row> f = o.factTime.watermark(facts, NAME);
        Dataset<Row> c = o.changeTime.watermark(changes, NAME);
        Column isDelete = Arrays.asList(changeSchema.fieldNames()).contains(o.opColumn)
                ? lower(trim(c.col(o.opColumn).cast("string"))).equalTo(o.deleteOp.toLowerCase()).and(c.col(o.opColumn).isNotNull())
                : lit(false);
        Dataset<Row> taggedFacts = f.filter(f.col(o.key).isNotNull()).select(
                f.col(o.key).cast("string").as("key"), f.col(factTime).as("time"), lit(false).as("is_delete"),
                struct(all(f)).as("fact"), lit(null).cast(changeSchema).as("change"));
        Dataset<Row> taggedChanges = c.filter(c.col(o.key).isNotNull()).select(
                c.col(o.key).cast("string").as("key"), c.col(changeTime).as("time"), isDelete.as("is_delete"),
                lit(null).cast(factSchema).as("fact"), struct(all(c)).as("change"));
        Dataset<Row> tagged = taggedFacts.union(taggedChanges);

        List<Integer> dims = new ArrayList<>();
        for (int i = 0; i < changeSchema.fields().length; i++) {
            if (!changeSchema.fields()[i].name().equals(o.key)) {
                dims.add(i);
            }
        }
        AsOfJoinProcessor processor = new AsOfJoinProcessor(factSchema, factSchema.fieldIndex(factTime),
                changeSchema, dims.stream().mapToInt(Integer::intValue).toArray());
        StructType out = outputSchema(factSchema, changeSchema, o);
        Dataset<Row> joined = tagged
                .groupByKey((MapFunction<Row, String>) r -> r.getString(KEY_FIELD), Encoders.STRING())
                .transformWithState(processor, TimeMode.EventTime(), OutputMode.Append(), Encoders.row(out));
        return joined.union(withoutKey(f, out, factSchema.size(), o));
    }

    /** Facts with a null key match no version: they pass at once, with null dimension columns. */
    private static Dataset<Row> withoutKey(Dataset<Row> f, StructType out, int factColumns, Options o) {
        List<Column> cols = new ArrayList<>(Arrays.asList(all(f)));
        for (int i = factColumns; i < out.size(); i++) {
            cols.add(lit(null).cast(out.fields()[i].dataType()).as(out.fields()[i].name()));
        }
        return f.filter(f.col(o.key).isNull()).select(cols.toArray(new Column[0]));
    }

    private static Column[] all(Dataset<Row> ds) {
        return Arrays.stream(ds.columns()).map(ds::col).toArray(Column[]::new);
    }
}
