package io.streampatterns.core;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.plans.logical.EventTimeWatermark;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The event-time column of a stateful step and how late its events may arrive: the one watermark rule of every
 * stateful step (dedup, sessions, windows, global statistics, alerts, temporal and stream-stream joins).
 *
 * <p><b>The rule.</b> A step whose input already carries a watermark on its event-time column (set upstream with
 * {@code withWatermark}, by an earlier step, or by SQL's {@code WATERMARK ... DELAY OF} clause) uses that watermark
 * and its delay as they are; otherwise it sets the watermark itself, {@code withWatermark(column, lateness)}. A
 * step on a stream that has neither a watermark on the column nor a lateness ({@link #upstream}) fails with a
 * {@link ConfigException} naming the step: a stateful operator without a watermark keeps its state forever. So a
 * watermark is declared once, where the stream enters, and every later step on that column follows it.</p>
 *
 * <pre>{@code
 * EventTime.of("ts", Duration.ofMinutes(10))    // the step sets withWatermark("ts", 10 minutes) unless already set
 * EventTime.upstream("ts")                     // the input must carry a watermark on ts
 * }</pre>
 */
public final class EventTime implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final String DELAY_KEY = EventTimeWatermark.delayKey();

    private final String column;
    private final Duration lateness;

    private EventTime(String column, Duration lateness) {
        this.column = column;
        this.lateness = lateness;
    }

    /** Event time in the TIMESTAMP {@code column}; events may arrive up to {@code lateness} behind the newest (>= 0). */
    public static EventTime of(String column, Duration lateness) {
        ConfigException.check(lateness != null && !lateness.isNegative(),
                "event time: lateness must be zero or positive, got " + lateness);
        return new EventTime(requireColumn(column), lateness);
    }

    /** Event time in {@code column}, whose watermark the input must carry already (set upstream). */
    public static EventTime upstream(String column) {
        return new EventTime(requireColumn(column), null);
    }

    public String column() {
        return column;
    }

    /** The lateness the step sets when its input has no watermark on the column; empty: it must have one. */
    public Optional<Duration> lateness() {
        return Optional.ofNullable(lateness);
    }

    /**
     * {@code in} with its watermark on the column, by the rule above; {@link ConfigException} prefixed {@code step}
     * when the column is missing or not a TIMESTAMP, or when a stream has no watermark on it and no lateness is given.
     */
    public Dataset<Row> watermark(Dataset<Row> in, String step) {
        StructField f = field(in, step);
        if (f.metadata().contains(DELAY_KEY)) {
            return in;
        }
        if (lateness == null) {
            ConfigException.check(!in.isStreaming(), step + ": event-time column '" + column + "' has no watermark: give "
                    + "the step a lateness (EventTime.of(\"" + column + "\", lateness)) or set one upstream (withWatermark, "
                    + "or WATERMARK in SQL)");
            return in;
        }
        return in.withWatermark(f.name(), Durations.toSparkInterval(lateness));
    }

    /**
     * The watermark delay in effect on the column of {@code watermarked} (the output of {@link #watermark}): the
     * upstream one when the input had one, else the lateness (zero for a batch input without either).
     */
    public Duration delay(Dataset<Row> watermarked, String step) {
        Metadata m = field(watermarked, step).metadata();
        if (m.contains(DELAY_KEY)) {
            return Duration.ofMillis(m.getLong(DELAY_KEY));
        }
        return lateness != null ? lateness : Duration.ZERO;
    }

    private StructField field(Dataset<Row> in, String step) {
        for (StructField f : in.schema().fields()) {
            if (f.name().equalsIgnoreCase(column)) {
                ConfigException.check(f.dataType().equals(DataTypes.TimestampType), step + ": event-time column '" + column
                        + "' must be TIMESTAMP, is " + f.dataType().simpleString());
                return f;
            }
        }
        throw new ConfigException(step + ": event-time column '" + column + "' is not in the input (columns: "
                + String.join(", ", in.schema().fieldNames()) + ")");
    }

    private static String requireColumn(String column) {
        ConfigException.check(column != null && !column.isBlank(), "event time: a column is required");
        return column;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EventTime e && e.column.equals(column) && Objects.equals(e.lateness, lateness);
    }

    @Override
    public int hashCode() {
        return Objects.hash(column, lateness);
    }

    @Override
    public String toString() {
        return column + (lateness == null ? " (watermark upstream)" : " late by " + Durations.format(lateness));
    }
}
