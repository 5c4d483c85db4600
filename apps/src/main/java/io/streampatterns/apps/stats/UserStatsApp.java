package io.streampatterns.apps.stats;

import io.streampatterns.apps.io.QuarantineTable;
import io.streampatterns.core.ConfigException;
import io.streampatterns.core.Storage;
import io.streampatterns.globalagg.GlobalStats;
import io.streampatterns.globalagg.StatsSink;
import io.streampatterns.sink.jdbc.JdbcTarget;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

import java.net.URI;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * Use case 4b: all-time statistics per user (first seen, last seen, events, sessions, lifetime sums) kept in Spark
 * state with {@link GlobalStats}, upserted into a Delta table and optionally PostgreSQL ({@link StatsSink}), each
 * once per batch id. Keys idle for the TTL (event time) leave the state; their final row stays in the tables
 * with {@code pruned = true}.
 */
public final class UserStatsApp {
    private UserStatsApp() {
    }

    /** The statistics stream (update mode) of {@code events}. */
    public static Dataset<Row> build(SparkSession spark, Dataset<Row> events, Options options) {
        return GlobalStats.of(options.stats).apply(events);
    }

    /**
     * Builds the pipeline over {@code events} and starts it with its sinks, checkpointed in {@link Options#checkpoint()};
     * the same query writes the records its input quarantined to {@code quarantine}.
     */
    public static StreamingQuery start(SparkSession spark, Dataset<Row> events, Options options, Trigger trigger,
                                       QuarantineTable quarantine) {
        StatsSink sink = StatsSink.toDelta(options.stats, options.output, options.checkpoint());
        if (options.warehouse != null) {
            sink = sink.withWarehouse(options.warehouse);
        }
        try {
            return build(spark, events, options).writeStream()
                    .queryName("stats")
                    .outputMode("update")
                    .option("checkpointLocation", Storage.text(options.checkpoint()))
                    .trigger(trigger)
                    .foreachBatch(quarantine.around(sink, options.checkpoint()))
                    .start();
        } catch (TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Options of the statistics pipeline. Immutable. */
    public static final class Options {
        final GlobalStats.Options stats;
        final URI output;
        final URI checkpoint;
        final JdbcTarget warehouse;

        private Options(GlobalStats.Options stats, URI output, URI checkpoint, JdbcTarget warehouse) {
            this.stats = stats;
            this.output = output;
            this.checkpoint = checkpoint;
            this.warehouse = warehouse;
        }

        /** Statistics {@code stats} into the Delta table {@code output}; checkpoint default {@code OUTPUT_checkpoint/stats}. */
        public static Options of(GlobalStats.Options stats, URI output) {
            ConfigException.check(output != null, "an output table directory is required");
            return new Options(Objects.requireNonNull(stats, "stats"), output, null, null);
        }

        public Options withCheckpoint(URI dir) {
            return new Options(stats, output, dir, warehouse);
        }

        /** Also upsert into PostgreSQL; the target must be keyed on {@link GlobalStats.Options#sinkKeys()}. */
        public Options withWarehouse(JdbcTarget target) {
            return new Options(stats, output, checkpoint, target);
        }

        public GlobalStats.Options stats() {
            return stats;
        }

        public URI output() {
            return output;
        }

        public URI checkpoint() {
            return checkpoint != null ? checkpoint : Storage.child(Storage.sibling(output, "_checkpoint"), "stats");
        }
    }
}
