package io.streampatterns.apps.demo;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.Trigger;

import java.nio.file.Path;

/** Where a demo run keeps its inputs and outputs, and how its queries are triggered. */
public final class DemoContext {
    private final SparkSession spark;
    private final Path root;
    private final boolean live;

    DemoContext(SparkSession spark, Path root, boolean live) {
        this.spark = spark;
        this.root = root;
        this.live = live;
    }

    public SparkSession spark() {
        return spark;
    }

    /** Input directory {@code name} (generated or sample data). */
    public Path input(String name) {
        return root.resolve("input").resolve(name);
    }

    /** The lake directory holding every result table. */
    public Path lake() {
        return root.resolve("lake");
    }

    /** Checkpoint of the query {@code name}. */
    public Path checkpoint(String name) {
        return root.resolve("checkpoints").resolve(name);
    }

    /** True when the demo runs live (continuous queries over data arriving), false for one pass over the data. */
    public boolean live() {
        return live;
    }

    public Trigger trigger() {
        return live ? Trigger.ProcessingTime(1000L) : Trigger.AvailableNow();
    }
}
