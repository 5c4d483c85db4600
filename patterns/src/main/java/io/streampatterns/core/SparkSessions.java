package io.streampatterns.core;

import org.apache.spark.sql.SparkSession;

/**
 * The one place that configures a SparkSession for streampatterns: Delta Lake, RocksDB state store
 * (required by {@code transformWithState}, and the right default for large state), UTC session time,
 * a small shuffle-partition count (state-store partitions are fixed in the checkpoint at first start).
 *
 * <p>{@link #getOrCreate(String)} joins an existing session (spark-submit, tests) and only builds a local
 * one when none is active, with master {@code spark.master} if set, else {@code SPARK_MASTER}, else {@code local[*]}.</p>
 */
public final class SparkSessions {
    private SparkSessions() {
    }

    public static SparkSession getOrCreate(String appName) {
        SparkSession.Builder b = SparkSession.builder().appName(appName);
        // spark.master (set by --master or spark-submit) wins over SPARK_MASTER
        if (System.getProperty("spark.master") == null) {
            String env = System.getenv("SPARK_MASTER");
            b.master(env == null || env.isBlank() ? "local[*]" : env.strip());
        }
        int cores = Runtime.getRuntime().availableProcessors();
        SparkSession spark = b
                .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                .config("spark.sql.streaming.stateStore.providerClass",
                        "org.apache.spark.sql.execution.streaming.state.RocksDBStateStoreProvider")
                .config("spark.sql.streaming.stateStore.rocksdb.changelogCheckpointing.enabled", "true")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.shuffle.partitions", System.getProperty("spark.sql.shuffle.partitions",
                        String.valueOf(Math.max(2, cores))))
                .config("spark.ui.enabled", System.getProperty("spark.ui.enabled", "false"))
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.sql.adaptive.enabled", "false")
                .config("spark.databricks.delta.snapshotPartitions", "2")
                .config("spark.sql.streaming.noDataMicroBatches.enabled", "true")
                .getOrCreate();
        spark.sparkContext().setLogLevel(System.getProperty("streampatterns.logLevel", "WARN"));
        return spark;
    }
}
