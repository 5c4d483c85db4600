package io.streampatterns.joins;

import io.streampatterns.core.ConfigException;
import io.streampatterns.core.Durations;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import static org.apache.spark.sql.functions.expr;

/**
 * Stream–stream time-range join (e.g. ad impressions ↔ clicks) on Spark's native symmetric hash join.
 *
 * <p>A right event matches a left event with the same key when
 * {@code right time ∈ [left time + lower, left time + upper]} (bounds inclusive). Both inputs get the same
 * watermark delay; with the range condition Spark can compute how long each side's rows may still find a
 * match and evicts them after that, so state is bounded (left rows live until the watermark passes
 * {@code left time + upper}, right rows until it passes {@code right time - lower}). A left-outer row without
 * a match is emitted, with nulls on the right, exactly when the watermark guarantees that no match can come.</p>
 *
 * <p>Output: the key column, then every other left column prefixed {@code left_}, then every other right column
 * prefixed {@code right_}. Output mode: append.</p>
 *
 * <pre>{@code
 * Dataset<Row> joined = impressions.transform(StreamStreamJoin.with(clicks,
 *         StreamStreamJoin.Options.of("ad_id", "ts", "ts", TimeRange.parse("0s,10m", "range"), Duration.ofMinutes(5))
 *                 .withType(StreamStreamJoin.Type.LEFT_OUTER))::apply);
 * }</pre>
 */
public final class StreamStreamJoin {
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

    private StreamStreamJoin() {
    }

    /** Options of the join; immutable. */
    public static final class Options {
        private final String key;
        private final String leftTime;
        private final String rightTime;
        private final TimeRange range;
        private final Duration watermark;
        private final Type type;

        private Options(String key, String leftTime, String rightTime, TimeRange range, Duration watermark, Type type) {
            this.key = key;
            this.leftTime = leftTime;
            this.rightTime = rightTime;
            this.range = range;
            this.watermark = watermark;
            this.type = type;
        }

        /** An inner join on {@code key} of rows whose right time lies within {@code range} of the left time. */
        public static Options of(String key, String leftTime, String rightTime, TimeRange range, Duration watermark) {
            ConfigException.check(key != null && !key.isBlank(), "stream join: a key column is required");
            ConfigException.check(leftTime != null && !leftTime.isBlank(), "stream join: a left time column is required");
            ConfigException.check(rightTime != null && !rightTime.isBlank(), "stream join: a right time column is required");
            Objects.requireNonNull(range, "range");
            Objects.requireNonNull(watermark, "watermark");
            ConfigException.check(!watermark.isNegative(), "stream join: watermark must not be negative");
            return new Options(key, leftTime, rightTime, range, watermark, Type.INNER);
        }

        public Options withType(Type t) {
            return new Options(key, leftTime, rightTime, range, watermark, Objects.requireNonNull(t, "type"));
        }

        public String key() {
            return key;
        }

        public Type type() {
            return type;
        }
    }

    /** The step joining its (left) input with {@code right}. */
    public static Function<Dataset<Row>, Dataset<Row>> with(Dataset<Row> right, Options o) {
        Objects.requireNonNull(right, "right");
        Objects.requireNonNull(o, "options");
        return left -> join(left, right, o);
    }

    private static Dataset<Row> join(Dataset<Row> left, Dataset<Row> right, Options o) {
        Columns.require(left, "left input", o.key, o.leftTime);
        Columns.require(right, "right input", o.key, o.rightTime);
        String delay = Durations.toSparkInterval(o.watermark);
        Dataset<Row> lw = left.withWatermark(o.leftTime, delay);
        Dataset<Row> rw = right.withWatermark(o.rightTime, delay);

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
        Column lt = l.col(LEFT_PREFIX + o.leftTime);
        Column rt = r.col(RIGHT_PREFIX + o.rightTime);
        Column condition = l.col(o.key).equalTo(r.col(RIGHT_KEY))
                .and(rt.geq(lt.plus(interval(o.range.lower()))))
                .and(rt.leq(lt.plus(interval(o.range.upper()))));
        return l.join(r, condition, o.type.sparkName).drop(RIGHT_KEY);
    }

    private static Column interval(Duration d) {
        return expr("INTERVAL '" + BigDecimal.valueOf(d.toMillis(), 3).toPlainString() + "' SECOND");
    }
}
