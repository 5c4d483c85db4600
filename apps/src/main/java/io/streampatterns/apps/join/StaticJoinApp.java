package io.streampatterns.apps.join;

import io.streampatterns.apps.io.QuarantineTable;
import io.streampatterns.joins.DeltaDimensionJoin;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

/** Stream–static enrichment with a Delta dimension table re-read every micro-batch ({@link DeltaDimensionJoin}). */
public final class StaticJoinApp {
    private StaticJoinApp() {
    }

    /** The enriched stream: every event column, then the dimension's other columns prefixed {@code dim_}. */
    public static Dataset<Row> build(SparkSession spark, Dataset<Row> events, DeltaDimensionJoin.Options options) {
        return DeltaDimensionJoin.of(options).apply(events);
    }

    public static StreamingQuery start(SparkSession spark, Dataset<Row> events, DeltaDimensionJoin.Options options,
                                       JoinOutput out, Trigger trigger,
        QuarantineTable quarantine) {
        return out.append(build(spark, events, options), "join-static", trigger, quarantine);
    }
}
