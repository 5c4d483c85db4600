package io.streampatterns.bench;

import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;

/** What a benchmark gets: the Spark session, a scratch directory of its own, whether this is a quick run, the repetitions. */
public final class BenchContext {
    private final SparkSession spark;
    private final Path workDir;
    private final boolean quick;
    private final int repeat;

    public BenchContext(SparkSession spark, Path workDir, boolean quick, int repeat) {
        this.spark = spark;
        this.workDir = workDir;
        this.quick = quick;
        this.repeat = repeat;
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

    /** Measured repetitions of each side. */
    public int repeat() {
        return repeat;
    }

    /** A fresh directory under the work directory for repetition {@code rep} of {@code side}. */
    public Path runDir(String side, int rep) {
        return workDir.resolve(side + "-" + (rep < 0 ? "warmup" : String.valueOf(rep)));
    }

    /** {@code full} events in a full run, {@code quickEvents} with {@code --quick}. */
    public long events(long full, long quickEvents) {
        return quick ? quickEvents : full;
    }
}
