package io.streampatterns.bench.sinks;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The rows both sink benchmarks write: clickstream-like events with a unique event id. */
final class Events {
    private Events() {
    }

    static Dataset<Row> of(SparkSession spark, long n) {
        return spark.range(n).selectExpr("concat('e', id) AS event_id", "concat('u', id % 5000) AS user_id",
                "timestamp_millis(1714521600000 + id * 37) AS ts",
                "CASE WHEN id % 3 = 0 THEN 'click' ELSE 'page_view' END AS type",
                "concat('/page/', id % 200) AS page", "round(id % 1000 / 7.0, 2) AS amount");
    }
}
