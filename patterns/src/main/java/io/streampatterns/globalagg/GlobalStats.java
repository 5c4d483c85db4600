package io.streampatterns.globalagg;

import io.streampatterns.core.ConfigException;
import io.streampatterns.core.Durations;
import io.streampatterns.core.EmitMode;
import io.streampatterns.core.EventTime;
import io.streampatterns.core.Step;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.TimeMode;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * All-time statistics per key ("the current value of a statistic for all of time"), kept in Spark state
 * ({@code transformWithState}, RocksDB) and emitted in update mode: every micro-batch emits the new totals of the
 * keys it touched.
 *
 * <pre>{@code
 * GlobalStats.Options o = GlobalStats.Options.of("user_id", EventTime.of("ts", Duration.ofMinutes(10)))
 *         .withSums("amount").withTtl(Duration.ofDays(30));
 * Dataset<Row> stats = GlobalStats.of(o).apply(events);   // write with outputMode("update")
 * }</pre>
 *
 * <p>Output columns: the key column, {@value #ACTIVE_SINCE}, {@value #FIRST_SEEN}, {@value #LAST_SEEN},
 * {@value #EVENTS}, {@code total_<col>} per sum column (BIGINT for integral columns, DOUBLE otherwise; nulls count
 * as 0), {@value #SESSIONS} if a session-start column is given, and {@value #PRUNED}. Times are kept to the
 * millisecond.</p>
 *
 * <ul>
 *   <li><b>Event time.</b> The watermark follows the {@link EventTime} rule (the input's on the time column, else set
 *       with the options' lateness). Events behind the
 *       watermark are dropped by Spark and counted in the query progress ({@code numRowsDroppedByWatermark});
 *       late events inside the watermark update the totals (first_seen can move back; last_seen only forward).
 *       Rows with a null key or time are not counted; their number is the observed metric
 *       {@code global_stats.skipped_null}.</li>
 *   <li><b>Sessions.</b> {@link Options#withSessionStarts(String)} names a BOOLEAN column that is true on the first
 *       event of a session (a sessionizer's output, or e.g. {@code type = 'session_start'} as a column); {@value #SESSIONS} is
 *       the exact count of such events. Counting distinct session ids instead would need every id ever seen in
 *       state, which is unbounded.</li>
 *   <li><b>TTL.</b> With {@link Options#withTtl(Duration)} a key is pruned from state once the watermark reaches its
 *       {@code last_seen + ttl} (an event-time timer, moved whenever last_seen moves; a batch's input is handled before
 *       its timers, so an event arriving in the batch that would prune the key keeps it). The pruned key's final
 *       totals are emitted once more with {@value #PRUNED} = true, so a sink keeps them; a key whose events are
 *       already past the TTL when they arrive (a backlog read in several batches) is emitted once, final. State
 *       therefore holds only the keys active within the TTL.</li>
 *   <li><b>Generations.</b> A pruned key that comes back starts from zero, as a new row whose {@value #ACTIVE_SINCE}
 *       (the earliest event time of the batch that created the state; it never changes afterwards) differs. Upsert
 *       on {@link Options#sinkKeys()} = (key, active_since), never on the key alone, or a returning key would
 *       overwrite its pruned totals. Lifetime totals of a key are the sum (min/max for times) over its rows. Without
 *       a TTL every key has exactly one row.</li>
 *   <li><b>Restarts.</b> Totals and timers live in the checkpoint. The state value's layout follows the sum and
 *       session columns: changing them needs a new checkpoint (Spark refuses the changed state schema).</li>
 * </ul>
 */
public final class GlobalStats implements Step {
    public static final String ACTIVE_SINCE = "active_since";
    public static final String FIRST_SEEN = "first_seen";
    public static final String LAST_SEEN = "last_seen";
    public static final String EVENTS = "events";
    public static final String SESSIONS = "sessions";
    public static final String PRUNED = "pruned";
    static final String STATE_NAME = "stats";
    /** The step's name: prefix of its configuration errors and name of its observed metrics. */
    static final String NAME = "global_stats";

    private final Options options;

    private GlobalStats(Options options) {
        this.options = options;
    }

    /** The per-key statistics step; its output must be written in update output mode ({@link #emitMode()}). */
    public static Step of(Options options) {
        Objects.requireNonNull(options, "options");
        return new GlobalStats(options);
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Always {@link EmitMode#UPDATE}: the new totals of the keys a micro-batch touched. */
    @Override
    public EmitMode emitMode() {
        return EmitMode.UPDATE;
    }

    @Override
    public Dataset<Row> apply(Dataset<Row> in) {
        StructType schema = in.schema();
        options.validate(schema);
        Dataset<Row> w = options.eventTime.watermark(in, NAME);
        Column nullKeyOrTime = w.col(options.keyColumn).isNull().or(w.col(options.timeColumn).isNull());
        Dataset<Row> counted = w.observe(NAME, count(lit(1)).alias("rows"),
                sum(when(nullKeyOrTime, 1).otherwise(0)).alias("skipped_null"));
        Dataset<Row> valid = counted.filter(counted.col(options.keyColumn).isNotNull()
                .and(counted.col(options.timeColumn).isNotNull()));
        StructField keyField = schema.apply(options.keyColumn);
        StatsLayout layout = StatsLayout.of(options, schema);
        GlobalStatsProcessor processor = new GlobalStatsProcessor(layout, options.ttl);
        return valid.groupBy(valid.col(options.keyColumn))
                .as(Encoders.row(new StructType(new StructField[]{keyField})), Encoders.row(schema))
                .transformWithState(processor, TimeMode.EventTime(), OutputMode.Update(),
                        Encoders.row(layout.outputSchema(keyField)));
    }

    /** What to aggregate: key column, event time, sum columns, session starts and TTL. Immutable. */
    public static final class Options implements Serializable {
        private static final long serialVersionUID = 1L;
        final String keyColumn;
        final String timeColumn;
        final EventTime eventTime;
        final List<String> sumColumns;
        final String sessionStartColumn;
        final Duration ttl;

        private Options(String keyColumn, EventTime eventTime, List<String> sumColumns,
                        String sessionStartColumn, Duration ttl) {
            this.keyColumn = keyColumn;
            this.timeColumn = eventTime.column();
            this.eventTime = eventTime;
            this.sumColumns = sumColumns;
            this.sessionStartColumn = sessionStartColumn;
            this.ttl = ttl;
        }

        /**
         * Statistics per value of {@code keyColumn} over event time {@code eventTime} (a TIMESTAMP column and its
         * lateness); no sums, no sessions, no TTL (keys are kept forever).
         */
        public static Options of(String keyColumn, EventTime eventTime) {
            ConfigException.check(keyColumn != null && !keyColumn.isBlank(), "global stats: a key column is required");
            ConfigException.check(eventTime != null, "global stats: the event time is required");
            ConfigException.check(!keyColumn.equals(eventTime.column()), "global stats: key and time must be different columns");
            return new Options(keyColumn, eventTime, List.of(), null, null);
        }

        /** Also sum these numeric columns per key ({@code total_<col>}). */
        public Options withSums(String... columns) {
            List<String> sums = List.of(columns);
            ConfigException.check(new HashSet<>(sums).size() == sums.size(), "global stats: sum columns repeat: " + sums);
            ConfigException.check(!sums.contains(keyColumn) && !sums.contains(timeColumn),
                    "global stats: cannot sum the key or time column");
            return new Options(keyColumn, eventTime, sums, sessionStartColumn, ttl);
        }

        /** Count sessions as the events whose BOOLEAN {@code column} is true. */
        public Options withSessionStarts(String column) {
            ConfigException.check(column != null && !column.isBlank(), "global stats: session-start column is blank");
            return new Options(keyColumn, eventTime, sumColumns, column, ttl);
        }

        /** Prune keys once the watermark reaches their last event time + {@code ttl} (event time); must be positive. */
        public Options withTtl(Duration ttl) {
            ConfigException.check(ttl != null && !ttl.isNegative() && !ttl.isZero(),
                    "global stats: TTL must be positive, got " + ttl);
            return new Options(keyColumn, eventTime, sumColumns, sessionStartColumn, ttl);
        }

        public String keyColumn() {
            return keyColumn;
        }

        public String timeColumn() {
            return timeColumn;
        }

        public EventTime eventTime() {
            return eventTime;
        }

        public List<String> sumColumns() {
            return sumColumns;
        }

        public Optional<String> sessionStartColumn() {
            return Optional.ofNullable(sessionStartColumn);
        }

        public Optional<Duration> ttl() {
            return Optional.ofNullable(ttl);
        }

        /** The columns to upsert the output on: the key and {@value #ACTIVE_SINCE} (see the class comment). */
        public List<String> sinkKeys() {
            return List.of(keyColumn, ACTIVE_SINCE);
        }

        /** Checks that {@code schema} has the columns with the right types; {@link ConfigException} naming the problem otherwise. */
        public void validate(StructType schema) {
            List<String> fields = Arrays.asList(schema.fieldNames());
            List<String> needed = new ArrayList<>(List.of(keyColumn, timeColumn));
            needed.addAll(sumColumns);
            if (sessionStartColumn != null) {
                needed.add(sessionStartColumn);
            }
            for (String c : needed) {
                ConfigException.check(fields.contains(c), "global stats: column '" + c + "' is not in the input (columns: "
                        + String.join(", ", fields) + ")");
            }
            requireType(schema, timeColumn, DataTypes.TimestampType, "TIMESTAMP");
            for (String c : sumColumns) {
                DataType t = schema.apply(c).dataType();
                ConfigException.check(t instanceof NumericType, "global stats: sum column '" + c + "' must be numeric, got "
                        + t.simpleString());
            }
            if (sessionStartColumn != null) {
                requireType(schema, sessionStartColumn, DataTypes.BooleanType, "BOOLEAN");
            }
        }

        private static void requireType(StructType schema, String column, DataType type, String name) {
            DataType t = schema.apply(column).dataType();
            ConfigException.check(t.equals(type), "global stats: column '" + column + "' must be " + name + ", got "
                    + t.simpleString());
        }

        @Override
        public String toString() {
            return "GlobalStats.Options{key=" + keyColumn + ", time=" + eventTime + ", sums=" + sumColumns + ", sessionStarts=" + sessionStartColumn
                    + ", ttl=" + (ttl == null ? "none" : Durations.format(ttl)) + "}";
        }
    }
}
