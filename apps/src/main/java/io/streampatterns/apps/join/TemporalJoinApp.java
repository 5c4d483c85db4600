package io.streampatterns.apps.join;

import io.streampatterns.core.Storage;
import io.streampatterns.apps.io.QuarantineTable;
import io.streampatterns.joins.Scd2Table;
import io.streampatterns.joins.TemporalJoin;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

import java.util.concurrent.TimeoutException;

/**
 * Temporal enrichment, e.g. transactions with the merchant as it was when the transaction happened: facts joined
 * with a CDC change stream as of their event time ({@link TemporalJoin}), appended to a Delta table; optionally
 * the dimension's history as an SCD type-2 Delta table ({@link Scd2Table}).
 */
public final class TemporalJoinApp {
    private TemporalJoinApp() {
    }

    /** The joined stream: the fact's columns, then the change's other columns prefixed {@code dim_}. */
    public static Dataset<Row> build(SparkSession spark, Dataset<Row> facts, Dataset<Row> changes, TemporalJoin.Options options) {
        return TemporalJoin.of(changes, options).apply(facts);
    }

    /** Builds the join and starts appending it to {@code out}, and quarantined input records to {@code quarantine}. */
    public static StreamingQuery start(SparkSession spark, Dataset<Row> facts, Dataset<Row> changes,
                                       TemporalJoin.Options options, JoinOutput out, Trigger trigger,
        QuarantineTable quarantine) {
        return out.append(build(spark, facts, changes, options), "join-temporal", trigger, quarantine);
    }

    /** Starts materialising {@code changes} as the SCD type-2 table of {@code history}. */
    public static StreamingQuery startHistory(Dataset<Row> changes, Scd2Table.Options history, JoinOutput out, Trigger trigger) {
        try {
            return changes.writeStream().queryName("dimension-history")
                    .option("checkpointLocation", Storage.text(out.checkpoint("dimension-history")))
                    .trigger(trigger)
                    .foreachBatch(Scd2Table.merger(history))
                    .start();
        } catch (TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }
}
