package io.streampatterns.apps.demo;

import org.apache.spark.sql.streaming.StreamingQuery;

import java.util.List;

/** One use case in {@code streampatterns demo}: prepares its inputs, starts its queries, and says where results are. */
interface DemoStep {
    /** Short name, e.g. {@code ingest}. */
    String name();

    /** Writes the inputs this step reads (in live mode, starts writing them and returns). */
    void prepare(DemoContext ctx);

    /** Starts the step's streaming queries. */
    List<StreamingQuery> start(DemoContext ctx);

    /**
     * Queries that read what {@link #start} writes: in a one-pass demo they start once those have finished, in a
     * live demo together with them.
     */
    default List<StreamingQuery> startAfter(DemoContext ctx) {
        return List.of();
    }

    /** Lines telling what the step produced and where. */
    List<String> summary(DemoContext ctx);
}
