package io.streampatterns.apps.aggregate;

import io.streampatterns.aggregate.Aggregates;
import io.streampatterns.apps.io.QuarantineTable;
import io.streampatterns.core.ConfigException;
import io.streampatterns.core.Storage;
import io.streampatterns.core.EmitMode;
import io.streampatterns.core.EventTime;
import io.streampatterns.sink.delta.DeltaSinks;
import io.streampatterns.windows.PaneWindowAggregation;
import io.streampatterns.windows.PaneWindowOptions;
import io.streampatterns.windows.SlidingWindow;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

import static org.apache.spark.sql.functions.col;

/**
 * The pane-based sliding window aggregation on its own: events (key, event time, numeric value) →
 * {@link PaneWindowAggregation} → the Delta table at {@code output} with columns {@code key, window_start,
 * window_end, count, sum, min, max, mean, variance, stddev, distinct, p50, p95, p99} (figures of the value;
 * {@code count} counts events). Append mode appends each window once, when the watermark closes it (Delta's
 * exactly-once streaming sink); update mode upserts every changed window on (key, window_start) each
 * micro-batch, idempotent by batch id, so the table holds the current value of every window, open ones included.
 */
public final class AggregateApp {
    static final String KEY = "key";
    static final String TIME = "event_time";
    static final String VALUE = "value";

    private AggregateApp() {
    }

    /** The windows of {@code events}, a stream whose time column is a TIMESTAMP. */
    public static Dataset<Row> build(SparkSession spark, Dataset<Row> events, Options options) {
        check(events, options);
        Dataset<Row> projected = events.select(col(options.key).as(KEY), col(options.time).as(TIME), col(options.value).as(VALUE));
        PaneWindowOptions windows = PaneWindowOptions.of(options.window)
                .keyedBy(KEY)
                .eventTime(EventTime.of(TIME, options.watermark))
                .aggregates(Aggregates.count(), Aggregates.stats(VALUE), Aggregates.distinct(VALUE),
                        Aggregates.quantiles(VALUE, 0.5, 0.95, 0.99))
                .emit(options.mode)
                .metricName("aggregate");
        return PaneWindowAggregation.of(windows).apply(projected);
    }

    /**
     * Builds the pipeline over {@code events} and starts writing the windows table, checkpointed in {@code checkpoint};
     * the same query writes the records its input quarantined to {@code quarantine}.
     */
    public static StreamingQuery start(SparkSession spark, Dataset<Row> events, Options options, URI checkpoint, Trigger trigger,
                                       QuarantineTable quarantine) {
        ConfigException.check(options.output != null, "an output table directory is required");
        Dataset<Row> windows = build(spark, events, options);
        String path = Storage.text(options.output);
        VoidFunction2<Dataset<Row>, Long> sink = options.mode == EmitMode.APPEND
                ? DeltaSinks.appender(path, DeltaSinks.appIdFor(checkpoint, "windows:" + path))
                : DeltaSinks.upserter(path, DeltaSinks.appIdFor(checkpoint, "upsert:" + path), List.of(KEY, "window_start"));
        try {
            return windows.writeStream().queryName("aggregate").outputMode(options.mode.outputMode())
                    .option("checkpointLocation", Storage.text(checkpoint)).trigger(trigger)
                    .foreachBatch(quarantine.around(sink, checkpoint)).start();
        } catch (TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void check(Dataset<Row> events, Options o) {
        List<String> names = List.of(events.schema().fieldNames());
        for (String[] c : new String[][] {{"--key", o.key}, {"--time", o.time}, {"--value", o.value}}) {
            ConfigException.check(names.contains(c[1]), c[0] + " column '" + c[1] + "' is not in the input (columns: "
                    + String.join(", ", names) + ")");
        }
        StructField value = events.schema().apply(o.value);
        ConfigException.check(value.dataType() instanceof NumericType,
                "--value column '" + o.value + "' must be numeric, is " + value.dataType().simpleString());
    }

    /** Options of the aggregate pipeline; immutable. */
    public static final class Options {
        private final String key;
        private final String time;
        private final String value;
        private final SlidingWindow window;
        private final Duration watermark;
        private final EmitMode mode;
        private final URI output;

        private Options(String key, String time, String value, SlidingWindow window, Duration watermark, EmitMode mode, URI output) {
            this.key = Objects.requireNonNull(key, "key");
            this.time = Objects.requireNonNull(time, "time");
            this.value = Objects.requireNonNull(value, "value");
            this.window = Objects.requireNonNull(window, "window");
            this.watermark = Objects.requireNonNull(watermark, "watermark");
            this.mode = Objects.requireNonNull(mode, "mode");
            this.output = output;
        }

        /**
         * Windows per {@code key} column over event time {@code time} of the numeric {@code value} column, events
         * accepted {@code watermark} late, emitted in {@code mode}, written to {@code output} (may be null for build only).
         */
        public static Options of(String key, String time, String value, SlidingWindow window, Duration watermark,
                                 EmitMode mode, URI output) {
            return new Options(key, time, value, window, watermark, mode, output);
        }

        public String key() {
            return key;
        }

        public String time() {
            return time;
        }

        public String value() {
            return value;
        }

        public SlidingWindow window() {
            return window;
        }

        public Duration watermark() {
            return watermark;
        }

        public EmitMode mode() {
            return mode;
        }

        public URI output() {
            return output;
        }
    }
}
