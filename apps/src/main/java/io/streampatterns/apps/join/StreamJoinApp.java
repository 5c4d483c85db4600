package io.streampatterns.apps.join;

import io.streampatterns.apps.io.QuarantineTable;
import io.streampatterns.joins.StreamStreamJoin;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

/**
 * Stream–stream enrichment, e.g. clicks with the impression they belong to: the two event streams joined on a key
 * within a time range ({@link StreamStreamJoin}), appended to a Delta table.
 */
public final class StreamJoinApp {
    private StreamJoinApp() {
    }

    /** The joined stream: {@code key} (the join key, renamed as in the CLI contract), {@code left_*}, {@code right_*}. */
    public static Dataset<Row> build(SparkSession spark, Dataset<Row> left, Dataset<Row> right, StreamStreamJoin.Options options) {
        Dataset<Row> joined = StreamStreamJoin.of(right, options).apply(left);
        return options.key().equals("key") ? joined : joined.withColumnRenamed(options.key(), "key");
    }

    /** Builds the join and starts appending it to {@code out}, and quarantined input records to {@code quarantine}. */
    public static StreamingQuery start(SparkSession spark, Dataset<Row> left, Dataset<Row> right,
                                       StreamStreamJoin.Options options, JoinOutput out, Trigger trigger,
        QuarantineTable quarantine) {
        return out.append(build(spark, left, right, options), "join-stream", trigger, quarantine);
    }
}
