package io.streampatterns.sessions;

import io.streampatterns.aggregate.AggregateSet;
import io.streampatterns.core.ConfigException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.unix_millis;
import static org.apache.spark.sql.functions.when;

/**
 * The narrow rows the stateful step reads: key, event time (ms), gap (ms), close flag (the close predicate
 * evaluated as a column), split value, the aggregates' inputs, and {@code late_after}: the end of the event's own
 * gap window, carrying the input's watermark marker so that Spark drops (and counts in
 * {@code numRowsDroppedByWatermark}) the events whose own window ends at or before the watermark — the rule
 * of Spark's {@code session_window}.
 */
final class SessionInput {
    static final String KEY = "key";
    /** Index of the first aggregate input in a prepared row. */
    static final int INPUTS = 5;
    private static final String DURATION_TEXT = "^(\\d+)\\s*(ms|s|m|h|d)$";

    private SessionInput() {
    }

    static Dataset<Row> prepare(Dataset<Row> events, SessionOptions options, AggregateSet aggregates) {
        ConfigException.check(events.isStreaming(), "sessions: the input must be a streaming Dataset (sessions are closed by the watermark)");
        String timeColumn = options.eventTime().column();
        StructField time = field(events, timeColumn, "time column");
        ConfigException.check(time.dataType().equals(DataTypes.TimestampType),
                "sessions: time column '" + time.name() + "' must be TIMESTAMP, is " + time.dataType().simpleString());
        field(events, options.keyColumn(), "key column");
        Dataset<Row> w = options.eventTime().watermark(events, Sessionizer.NAME);
        SessionRules rules = options.rules();
        Column gap = lit(rules.gap().toMillis());
        if (rules.gapColumn().isPresent()) {
            StructField g = field(w, rules.gapColumn().get(), "gap column");
            gap = coalesce(gapMillis(w.col(g.name()), g.dataType()), gap);
        }
        Column eventTime = w.col(time.name());
        List<Column> columns = new ArrayList<>(List.of(
                w.col(options.keyColumn()).as(KEY),
                unix_millis(eventTime).as("t"),
                gap.as("gap"),
                rules.closeWhen().map(p -> coalesce(predicate(w, p), lit(false))).orElse(lit(false)).as("close"),
                text(w, rules.splitOn().orElse(null), "split column").as("split")));
        int i = 0;
        for (AggregateSet.Input in : aggregates.inputs()) {
            StructField f = field(w, in.column(), "aggregate input column");
            ConfigException.check(!(in.type() instanceof NumericType) || f.dataType() instanceof NumericType,
                    "sessions: aggregate input column '" + f.name() + "' must be numeric, is " + f.dataType().simpleString());
            Column c = w.col(f.name());
            columns.add((in.type() == null ? c : c.cast(in.type())).as("__input" + i++));
        }
        Dataset<Row> narrow = w.where(eventTime.isNotNull()).select(columns.toArray(new Column[0]));
        Dataset<Row> valid = narrow.where(narrow.col("gap").gt(0));
        Metadata watermark = w.schema().apply(time.name()).metadata();
        return valid.select(valid.col("*"), timestamp_millis(valid.col("t").plus(valid.col("gap"))).as("late_after", watermark));
    }

    /**
     * The event of a prepared row, with its own accumulators; serialized too when it is to be kept in state
     * ({@code stored}).
     */
    static BufferedEvent event(Row r, AggregateSet aggregates, boolean stored) {
        long t = r.getLong(1);
        Object[] accs = aggregates.zero();
        aggregates.add(accs, r, INPUTS, t);
        return new BufferedEvent(t, r.getLong(2), r.getBoolean(3), r.getString(4), accs,
                stored ? aggregates.toBytes(accs) : null);
    }

    /** Milliseconds of a gap column: numbers are milliseconds, text is {@code 500ms}, {@code 30s}, {@code 10m}, {@code 4h}, {@code 1d}. */
    private static Column gapMillis(Column c, DataType type) {
        if (type instanceof NumericType) {
            return c.cast(DataTypes.LongType);
        }
        ConfigException.check(type.equals(DataTypes.StringType),
                "sessions: gap column must be a number of milliseconds or a duration text, is " + type.simpleString());
        Column s = lower(trim(c));
        Column n = regexp_extract(s, DURATION_TEXT, 1).try_cast(DataTypes.LongType);
        Column unit = regexp_extract(s, DURATION_TEXT, 2);
        return n.multiply(when(unit.equalTo("ms"), 1L).when(unit.equalTo("s"), 1_000L).when(unit.equalTo("m"), 60_000L)
                .when(unit.equalTo("h"), 3_600_000L).when(unit.equalTo("d"), 86_400_000L));
    }

    /** The close predicate as a boolean column; {@link ConfigException} if it does not parse, resolve or give a boolean. */
    private static Column predicate(Dataset<Row> events, String sql) {
        DataType type;
        try {
            type = events.select(expr(sql)).schema().fields()[0].dataType();
        } catch (Exception e) { // AnalysisException is checked in Java terms but thrown undeclared
            throw new ConfigException("sessions: bad close predicate '" + sql + "': " + firstLine(e));
        }
        ConfigException.check(type.equals(DataTypes.BooleanType),
                "sessions: close predicate '" + sql + "' must be a boolean condition, is " + type.simpleString());
        return expr(sql);
    }

    private static Column text(Dataset<Row> events, String column, String what) {
        if (column == null) {
            return lit(null).cast(DataTypes.StringType);
        }
        return events.col(field(events, column, what).name()).cast(DataTypes.StringType);
    }

    private static StructField field(Dataset<Row> events, String name, String what) {
        return Arrays.stream(events.schema().fields()).filter(f -> f.name().equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> new ConfigException("sessions: " + what + " '" + name + "' is not a column of the input "
                        + Arrays.toString(events.schema().fieldNames())));
    }

    private static String firstLine(Throwable e) {
        return String.valueOf(e.getMessage()).split("\\R")[0];
    }
}
