package io.streampatterns.apps.sessions;

import io.streampatterns.apps.io.QuarantineTable;
import io.streampatterns.core.Durations;
import io.streampatterns.sessions.SessionRules;
import io.streampatterns.sessions.Sessionizer;
import io.streampatterns.sink.delta.DeltaSinks;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * Use case 4: sessionization. Events → watermark → {@link Sessionizer} → the Delta table at {@code output}:
 * in append mode each final session is appended once (Delta's exactly-once streaming sink); in update mode the table
 * holds the latest version of every session, open ones included ({@link SessionsSink}: MERGE on {@code session_id}
 * per micro-batch, superseded ids deleted, idempotent by batch id).
 */
public final class SessionsApp {
    private SessionsApp() {
    }

    /** The sessions of {@code events} (a stream whose time column is a TIMESTAMP), columns of {@link Sessionizer#outputSchema}. */
    public static Dataset<Row> build(SparkSession spark, Dataset<Row> events, Options options) {
        Dataset<Row> w = events.withWatermark(options.rules.timeColumn(), Durations.toSparkInterval(options.watermark));
        return w.transform(Sessionizer.of(options.rules).withMode(options.mode)::apply);
    }

    /**
     * Builds the pipeline over {@code events} and starts writing the sessions table, checkpointed in {@code checkpoint};
     * the same query writes the records its input quarantined to {@code quarantine}.
     */
    public static StreamingQuery start(SparkSession spark, Dataset<Row> events, Options options, Path checkpoint, Trigger trigger,
                                       QuarantineTable quarantine) {
        Dataset<Row> sessions = build(spark, events, options);
        String path = options.output.toString();
        String appId = DeltaSinks.appIdFor(checkpoint, "sessions:" + path);
        boolean append = options.mode == Sessionizer.Mode.APPEND;
        VoidFunction2<Dataset<Row>, Long> sink = append ? DeltaSinks.appender(path, appId) : new SessionsSink(path, appId);
        try {
            return sessions.writeStream().queryName("sessions").outputMode(append ? "append" : "update")
                    .option("checkpointLocation", checkpoint.toString()).trigger(trigger)
                    .foreachBatch(quarantine.around(sink, checkpoint)).start();
        } catch (TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Options of the sessions pipeline; immutable. */
    public static final class Options implements Serializable {
        private static final long serialVersionUID = 1L;
        private final SessionRules rules;
        private final Duration watermark;
        private final Sessionizer.Mode mode;
        private final Path output;

        private Options(SessionRules rules, Duration watermark, Sessionizer.Mode mode, Path output) {
            this.rules = Objects.requireNonNull(rules, "rules");
            this.watermark = Objects.requireNonNull(watermark, "watermark");
            this.mode = Objects.requireNonNull(mode, "mode");
            this.output = output;
        }

        /** Sessions by {@code rules}, events accepted {@code watermark} late, emitted in {@code mode}, written to {@code output}. */
        public static Options of(SessionRules rules, Duration watermark, Sessionizer.Mode mode, Path output) {
            return new Options(rules, watermark, mode, output);
        }

        public SessionRules rules() {
            return rules;
        }

        public Duration watermark() {
            return watermark;
        }

        public Sessionizer.Mode mode() {
            return mode;
        }

        public Path output() {
            return output;
        }
    }
}
