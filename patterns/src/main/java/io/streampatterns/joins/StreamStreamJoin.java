package io.streampatterns.joins;

import io.streampatterns.core.ConfigException;
import io.streampatterns.core.EventTime;
import io.streampatterns.core.Step;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static org.apache.spark.sql.functions.expr;

/**
 * Stream–stream time-range join (e.g. ad impressions ↔ clicks) on Spark's native symmetric hash join.
 *
 * <p>A right event matches a left event with the same key when
 * {@code right time ∈ [left time + lower, left time + upper]} (bounds inclusive). Each input gets its watermark by
 * the {@link EventTime} rule; with the range condition Spark can compute how long each side's rows may still find a
 * match and evicts them after that, so state is bounded (left rows live until the watermark passes
 * {@code left time + upper}, right rows until it passes {@code right time - lower}). A left-outer row without
 * a match is emitted, with nulls on the right, exactly when the watermark guarantees that no match can come.</p>
 *
 * <p>Output: the key column, then every other left column prefixed {@code left_}, then every other right column
 * prefixed {@code right_}. Output mode: append.</p>
 *
 * <pre>{@code
 * EventTime ts = EventTime.of("ts", Duration.ofMinutes(5));
 * Dataset<Row> joined = StreamStreamJoin.of(clicks, StreamStreamJoin.Options.of("ad_id", ts, ts,
 *         TimeRange.of(Duration.ZERO, Duration.ofMinutes(10))).withType(StreamStreamJoin.Type.LEFT_OUTER)).apply(impressions);
 * }</pre>
 */
public final class StreamStreamJoin implements Step {
    public static final String LEFT_PREFIX = "left_";
    public static final String RIGHT_PREFIX = "right_";
    private static final String RIGHT_KEY = "__right_key";

    /** Join type: matches only, or every left row (with nulls on the right when nothing matched). */
    public enum Type {
        INNER("inner"), LEFT_OUTER("left_outer");

        private final String sparkName;

        Type(String sparkName) {
            this.sparkName = sparkName;
        }
    }

    static final String NAME = "stream_join";

    private final Dataset<Row> right;
    private final Options options;

    private StreamStreamJoin(Dataset<Row> right, Options options) {
        this.right = right;
        this.options = options;
    }

    /**
     * The step joining its (left) input with the stream {@code right}. The other input is an argument, not an option,
     * so that options stay plain values.
     */
    public static Step of(Dataset<Row> right, Options options) {
        Objects.requireNonNull(right, "right");
        Objects.requireNonNull(options, "options");
        return new StreamStreamJoin(right, options);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Dataset<Row> apply(Dataset<Row> left) {
        return join(left, right, options);
    }

    /** Options of the join; immutable. */
    public static final class Options implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String key;
        private final EventTime leftTime;
        private final EventTime rightTime;
        private final TimeRange range;
        private final Type type;

        private Options(String key, EventTime leftTime, EventTime rightTime, TimeRange range, Type type) {
            this.key = key;
            this.leftTime = leftTime;
            this.rightTime = rightTime;
            this.range = range;
            this.type = type;
        }

        /** An inner join on {@code key} of rows whose right time lies within {@code range} of the left time. */
        public static Options of(String key, EventTime leftTime, EventTime rightTime, TimeRange range) {
            ConfigException.check(key != null && !key.isBlank(), "stream join: a key column is required");
            ConfigException.check(leftTime != null, "stream join: a left time column is required");
            ConfigException.check(rightTime != null, "stream join: a right time column is required");
            Objects.requireNonNull(range, "range");
            return new Options(key, leftTime, rightTime, range, Type.INNER);
        }

        public Options withType(Type t) {
            return new Options(key, leftTime, rightTime, range, Objects.requireNonNull(t, "type"));
        }

        public String key() {
            return key;
        }

        public Type type() {
            return type;
        }
    }

    private static Dataset<Row> join(Dataset<Row> left, Dataset<Row> right, Options o) {
        Columns.require(left, "left input", o.key, o.leftTime.column());
        Columns.require(right, "right input", o.key, o.rightTime.column());
        Dataset<Row> lw = o.leftTime.watermark(left, NAME);
        Dataset<Row> rw = o.rightTime.watermark(right, NAME);

        List<Column> leftCols = new ArrayList<>();
        leftCols.add(lw.col(o.key));
        List<Column> rightCols = new ArrayList<>();
        rightCols.add(rw.col(o.key).as(RIGHT_KEY));
        for (String c : lw.columns()) {
            if (!c.equals(o.key)) {
                leftCols.add(lw.col(c).as(LEFT_PREFIX + c));
            }
        }
        for (String c : rw.columns()) {
            if (!c.equals(o.key)) {
                rightCols.add(rw.col(c).as(RIGHT_PREFIX + c));
            }
        }
        Dataset<Row> l = lw.select(leftCols.toArray(new Column[0]));
        Dataset<Row> r = rw.select(rightCols.toArray(new Column[0]));
        Column lt = l.col(LEFT_PREFIX + o.leftTime.column());
        Column rt = r.col(RIGHT_PREFIX + o.rightTime.column());
        Column condition = l.col(o.key).equalTo(r.col(RIGHT_KEY))
                .and(rt.geq(lt.plus(interval(o.range.lower()))))
                .and(rt.leq(lt.plus(interval(o.range.upper()))));
        return l.join(r, condition, o.type.sparkName).drop(RIGHT_KEY);
    }

    private static Column interval(Duration d) {
        return expr("INTERVAL '" + BigDecimal.valueOf(d.toMillis(), 3).toPlainString() + "' SECOND");
    }
}
