package io.streampatterns.apps.join;

import io.streampatterns.apps.io.QuarantineTable;
import io.streampatterns.joins.LookupJoin;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

/** Enrichment by lookups in a database table, batched and cached per executor ({@link LookupJoin}). */
public final class LookupJoinApp {
    private LookupJoinApp() {
    }

    /** The enriched stream: every event column, the looked-up columns prefixed {@code dim_}, then {@code lookup_found}. */
    public static Dataset<Row> build(SparkSession spark, Dataset<Row> events, LookupJoin.Options options) {
        return LookupJoin.of(options).apply(events);
    }

    public static StreamingQuery start(SparkSession spark, Dataset<Row> events, LookupJoin.Options options,
                                       JoinOutput out, Trigger trigger,
        QuarantineTable quarantine) {
        return out.append(build(spark, events, options), "join-lookup", trigger, quarantine);
    }
}
