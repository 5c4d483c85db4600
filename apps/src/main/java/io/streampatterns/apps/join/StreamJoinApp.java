package io.streampatterns.apps.join;

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

    /** The joined stream: key, {@code left_*}, {@code right_*}. */
    public static Dataset<Row> build(SparkSession spark, Dataset<Row> left, Dataset<Row> right, StreamStreamJoin.Options options) {
        return left.transform(StreamStreamJoin.with(right, options)::apply);
    }

    /** Builds the join and starts appending it to {@code out}. */
    public static StreamingQuery start(SparkSession spark, Dataset<Row> left, Dataset<Row> right,
                                       StreamStreamJoin.Options options, JoinOutput out, Trigger trigger) {
        return out.append(build(spark, left, right, options), "join-stream", trigger);
    }
}
