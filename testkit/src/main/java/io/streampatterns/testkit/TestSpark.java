package io.streampatterns.testkit;

import org.apache.spark.sql.SparkSession;

/**
 * The single SparkSession of a test JVM: local[2], two shuffle partitions, Delta and RocksDB configured
 * as in production ({@code SparkSessions}-equivalent settings, kept here so testkit does not depend on patterns).
 */
public final class TestSpark {
    private static SparkSession spark;

    private TestSpark() {
    }

    public static synchronized SparkSession get() {
        if (spark == null) {
            spark = SparkSession.builder()
                    .appName("streampatterns-test")
                    .master("local[2]")
                    .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                    .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                    .config("spark.sql.streaming.stateStore.providerClass",
                            "org.apache.spark.sql.execution.streaming.state.RocksDBStateStoreProvider")
                    .config("spark.sql.streaming.stateStore.rocksdb.changelogCheckpointing.enabled", "true")
                    .config("spark.sql.session.timeZone", "UTC")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.default.parallelism", "2")
                    .config("spark.ui.enabled", "false")
                    .config("spark.ui.showConsoleProgress", "false")
                    .config("spark.sql.adaptive.enabled", "false")
                    .config("spark.databricks.delta.snapshotPartitions", "1")
                    .config("spark.sql.streaming.minBatchesToRetain", "5")
                    .getOrCreate();
            spark.sparkContext().setLogLevel("ERROR");
        }
        return spark;
    }
}
