package io.streampatterns.quarantine;

import io.streampatterns.core.ConfigException;
import io.streampatterns.core.Step;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.octet_length;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

/**
 * Turns raw records into typed events, or into quarantine rows with a reason: the step that makes
 * "good + quarantined = input" hold. It never throws on data.
 *
 * <p>Input: a Dataset with {@code raw} (the record text) and {@code source} (where it came from, e.g.
 * {@code file.jsonl:17} or {@code topic/0@42}). Output: every field of the {@link EventSchema}, typed, plus
 * {@code raw}, {@code source} and {@code reason} ({@code null} for a good record). Checks, first failing wins:
 * record size, parse (format-specific), required fields, type conversion (per field, quoting the bad value),
 * event time beyond the future horizon, then the schema's own range checks.</p>
 *
 * <pre>{@code
 * Dataset<Row> checked = Validation.of(schema, RecordFormat.JSON_LINES, ValidationOptions.defaults()).apply(raw);
 * Dataset<Row> good = checked.filter("reason IS NULL"), bad = checked.filter("reason IS NOT NULL");
 * }</pre>
 */
public final class Validation {
    /** Column holding the quarantine reason; {@code null} for a valid record. */
    public static final String REASON = "reason";
    public static final String RAW = "raw";
    public static final String SOURCE = "source";
    /** Column of a parsed record: why the record does not have its format's shape, {@code null} when it does. */
    public static final String PARSE_ERROR = "__parse_error";

    private Validation() {
    }

    /** The validation step (stateless, named {@code validation}) for records of {@code format} against {@code schema}. */
    public static Step of(EventSchema schema, RecordFormat format, ValidationOptions options) {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(options, "options");
        return Step.of("validation", raw -> {
            Dataset<Row> parsed = format.parse(raw, schema);
            return typed(parsed, schema, format, options);
        });
    }

    /**
     * Input has {@code raw}, {@code source}, {@link #PARSE_ERROR} (null when the format parsed) and every schema field
     * as a string ({@code null} when absent); output has typed fields and {@link #REASON}.
     */
    private static Dataset<Row> typed(Dataset<Row> parsed, EventSchema schema, RecordFormat format,
                                      ValidationOptions options) {
        // First every conversion, once, next to the texts; then the reasons read the converted columns (a reason
        // inside coalesce/when would otherwise convert the text again, as the value is not computed on every branch).
        List<Column> texts = new ArrayList<>(List.of(col(RAW), col(SOURCE), col(PARSE_ERROR)));
        for (StructField f : schema.fields().fields()) {
            texts.add(strField(f.name()));
            texts.add(convert(strField(f.name()), f.dataType(), format).alias(f.name()));
        }
        Dataset<Row> converted = parsed.select(texts.toArray(new Column[0]));
        List<Column> reasons = new ArrayList<>();
        // characters <= UTF-8 bytes: count the characters (a scan of the text) only when the byte length is over
        int max = options.maxRecordChars();
        reasons.add(when(octet_length(col(RAW)).gt(max).and(length(col(RAW)).gt(max)),
                concat(lit("record too large: "), length(col(RAW)).cast("string"),
                        lit(" characters > limit " + max))));
        reasons.add(col(PARSE_ERROR));
        for (String f : schema.requiredFields()) {
            reasons.add(when(strField(f).isNull(), lit("missing required field '" + f + "'")));
        }
        List<Column> out = new ArrayList<>();
        for (StructField f : schema.fields().fields()) {
            Column value = quoted(f.name());
            out.add(value);
            if (!f.dataType().equals(DataTypes.StringType)) {
                reasons.add(when(strField(f.name()).isNotNull().and(value.isNull()),
                        concat(lit("field '" + f.name() + "': cannot convert '"), substring(strField(f.name()), 1, 80),
                                lit("' to " + f.dataType().simpleString()))));
            }
        }
        Column time = quoted(schema.eventTime());
        // in microseconds: in a stream current_timestamp() is the batch time, not a constant, and a timestamp +
        // interval would be computed for every row with calendar arithmetic
        long futureMicros = Math.min(options.maxFuture().toMillis(), Long.MAX_VALUE / 2000) * 1000;
        Column now = options.now() == null ? current_timestamp() : lit(java.sql.Timestamp.from(options.now()));
        Column horizon = unix_micros(now).plus(futureMicros);
        reasons.add(when(unix_micros(time).gt(horizon),
                concat(lit("event time '" + schema.eventTime() + "' = "), time.cast("string"),
                        lit(" is more than " + options.maxFuture().toSeconds() + "s in the future"))));
        out.add(col(RAW));
        out.add(col(SOURCE));
        out.add(coalesce(reasons.toArray(new Column[0])).alias(REASON));
        Dataset<Row> checked = converted.select(out.toArray(new Column[0]));
        for (Map.Entry<String, String> c : schema.checks().entrySet()) {
            checked = checked.withColumn(REASON, coalesce(col(REASON),
                    when(coalesce(expr(c.getKey()), lit(false)).equalTo(false), lit(c.getValue()))));
        }
        return checked;
    }

    private static Column strField(String name) {
        return quoted(RecordFormat.STRING_PREFIX + name);
    }

    private static Column quoted(String name) {
        return col("`" + name.replace("`", "``") + "`");
    }

    /** String → type without ever failing: {@code null} where the text does not convert. */
    static Column convert(Column s, DataType type, RecordFormat format) {
        if (type.equals(DataTypes.StringType)) {
            return s;
        }
        if (RecordFormat.isComplex(type)) {
            return from_json(s, type, Map.of("mode", "PERMISSIVE"));
        }
        if (type.equals(DataTypes.TimestampType)) {
            return format.timestamp(s);
        }
        if (type.equals(DataTypes.BooleanType)) {
            return when(s.rlike("(?i)^(true|false)$"), s.cast(DataTypes.BooleanType));
        }
        return s.try_cast(type);
    }

    /** ISO-8601 text or epoch milliseconds → TIMESTAMP, {@code null} when it is neither. */
    public static Column timestamp(Column s) {
        return when(s.rlike("^-?[0-9]{1,15}$"), timestamp_millis(s.cast(DataTypes.LongType)))
                .otherwise(s.try_cast(DataTypes.TimestampType));
    }

    static void checkNames(StructType st) {
        for (StructField f : st.fields()) {
            ConfigException.check(!f.name().startsWith("__") && !f.name().equals(REASON) && !f.name().equals(RAW)
                    && !f.name().equals(SOURCE), "schema field '" + f.name() + "' clashes with a reserved column name");
        }
    }

    /** Limits of the checks. */
    public static final class ValidationOptions implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final int maxRecordChars;
        private final Duration maxFuture;
        private final java.time.Instant now;

        private ValidationOptions(int maxRecordChars, Duration maxFuture, java.time.Instant now) {
            ConfigException.check(maxRecordChars > 0, "max record size must be > 0, got " + maxRecordChars);
            ConfigException.check(!maxFuture.isNegative(), "future horizon must be >= 0, got " + maxFuture);
            this.maxRecordChars = maxRecordChars;
            this.maxFuture = maxFuture;
            this.now = now;
        }

        /** 1 MiB records, event time at most 1 day in the future (of the micro-batch's time). */
        public static ValidationOptions defaults() {
            return new ValidationOptions(1 << 20, Duration.ofDays(1), null);
        }

        public ValidationOptions withMaxRecordChars(int chars) {
            return new ValidationOptions(chars, maxFuture, now);
        }

        public ValidationOptions withMaxFuture(Duration horizon) {
            return new ValidationOptions(maxRecordChars, horizon, now);
        }

        /**
         * The same checks as at time {@code now} instead of the micro-batch's time: to validate records read again
         * exactly as their micro-batch did.
         */
        public ValidationOptions at(java.time.Instant time) {
            return new ValidationOptions(maxRecordChars, maxFuture, time);
        }

        /** The fixed time of the checks, or null for the micro-batch's time. */
        public java.time.Instant now() {
            return now;
        }

        public int maxRecordChars() {
            return maxRecordChars;
        }

        public Duration maxFuture() {
            return maxFuture;
        }
    }
}
