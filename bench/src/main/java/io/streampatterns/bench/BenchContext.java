package io.streampatterns.bench;

import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;

/** What a benchmark gets: the Spark session, a scratch directory of its own, and whether this is a quick run. */
public final class BenchContext {
    private final SparkSession spark;
    private final Path workDir;
    private final boolean quick;

    public BenchContext(SparkSession spark, Path workDir, boolean quick) {
        this.spark = spark;
        this.workDir = workDir;
        this.quick = quick;
    }

    public SparkSession spark() {
        return spark;
    }

    public Path workDir() {
        return workDir;
    }

    public boolean quick() {
        return quick;
    }

    /** {@code full} events in a full run, {@code quickEvents} with {@code --quick}. */
    public long events(long full, long quickEvents) {
        return quick ? quickEvents : full;
    }
}
