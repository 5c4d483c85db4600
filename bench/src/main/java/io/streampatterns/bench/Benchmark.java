package io.streampatterns.bench;

/**
 * One entry of {@code streampatterns bench}: prepares its input and the programs it compares (ours, the plain-Spark or
 * naive baseline, maybe more), which {@link Protocol} then runs and measures the same way for every entry.
 */
public interface Benchmark {
    /** The entry name, e.g. {@code ingest}. */
    String name();

    /** One line: what is compared with what. */
    String description();

    /** Generates (or reuses) the input and returns what to measure on it; {@code context.quick()} keeps it small. */
    Plan plan(BenchContext context) throws Exception;
}
