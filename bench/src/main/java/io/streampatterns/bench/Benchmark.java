package io.streampatterns.bench;

/**
 * One entry of {@code streampatterns bench}: measures our pipeline and its plain-Spark (or naive) counterpart on the
 * same generated data in the same JVM, and checks that their results agree.
 */
public interface Benchmark {
    /** The entry name, e.g. {@code ingest}. */
    String name();

    /** One line: what is compared with what. */
    String description();

    /** Runs the measurement; {@code quick} keeps it to seconds or a few tens of seconds. */
    BenchResult run(BenchContext context) throws Exception;
}
