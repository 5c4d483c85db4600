package io.streampatterns.sessions;

import io.streampatterns.core.ConfigException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.plans.logical.EventTimeWatermark;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;

import java.util.Arrays;

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
 * evaluated as a column), page, campaign, amount, split value, and {@code late_after}: the end of the event's
 * own gap window, carrying the input's watermark marker so that Spark drops (and counts in
 * {@code numRowsDroppedByWatermark}) the events whose own window ends at or before the watermark — the rule
 * of Spark's {@code session_window}.
 */
final class SessionInput {
    static final String KEY = "key";
    private static final String DURATION_TEXT = "^(\\d+)\\s*(ms|s|m|h|d)$";

    private SessionInput() {
    }

    static Dataset<Row> prepare(Dataset<Row> events, SessionRules rules) {
        ConfigException.check(events.isStreaming(), "sessions: the input must be a streaming Dataset (sessions are closed by the watermark)");
        StructField time = field(events, rules.timeColumn(), "time column");
        ConfigException.check(time.dataType().equals(DataTypes.TimestampType),
                "sessions: time column '" + time.name() + "' must be TIMESTAMP, is " + time.dataType().simpleString());
        ConfigException.check(time.metadata().contains(EventTimeWatermark.delayKey()),
                "sessions: time column '" + time.name() + "' has no watermark; apply withWatermark(\"" + time.name() + "\", delay) first");
        field(events, rules.keyColumn(), "key column");
        Column gap = lit(rules.gap().toMillis());
        if (rules.gapColumn().isPresent()) {
            StructField g = field(events, rules.gapColumn().get(), "gap column");
            gap = coalesce(gapMillis(events.col(g.name()), g.dataType()), gap);
        }
        Column amount = lit(null).cast(DataTypes.DoubleType);
        if (rules.amountColumn().isPresent()) {
            StructField a = field(events, rules.amountColumn().get(), "amount column");
            ConfigException.check(a.dataType() instanceof NumericType,
                    "sessions: amount column '" + a.name() + "' must be numeric, is " + a.dataType().simpleString());
            amount = events.col(a.name()).cast(DataTypes.DoubleType);
        }
        Column eventTime = events.col(time.name());
        Dataset<Row> narrow = events.where(eventTime.isNotNull()).select(
                events.col(rules.keyColumn()).as(KEY),
                unix_millis(eventTime).as("t"),
                gap.as("gap"),
                rules.closeWhen().map(p -> coalesce(predicate(events, p), lit(false))).orElse(lit(false)).as("close"),
                text(events, rules.pageColumn().orElse(null), "page column").as("page"),
                text(events, rules.campaignColumn().orElse(null), "campaign column").as("campaign"),
                amount.as("amount"),
                text(events, rules.splitOn().orElse(null), "split column").as("split"));
        Dataset<Row> valid = narrow.where(narrow.col("gap").gt(0));
        return valid.select(valid.col("*"), timestamp_millis(valid.col("t").plus(valid.col("gap"))).as("late_after", time.metadata()));
    }

    /** The event of a prepared row. */
    static BufferedEvent event(Row r) {
        return new BufferedEvent(r.getLong(1), r.getLong(2), r.getBoolean(3), r.getString(4), r.getString(5),
                r.isNullAt(6) ? null : r.getDouble(6), r.getString(7));
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
