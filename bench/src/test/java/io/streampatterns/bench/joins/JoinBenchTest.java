package io.streampatterns.bench.joins;

import io.streampatterns.bench.Measured;
import io.streampatterns.testkit.PostgresServer;
import io.streampatterns.testkit.TestSpark;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Small runs of the join benchmarks: they run, and the figures are the ones the set-up implies. */
class JoinBenchTest {
    @Test
    void lookupBenchCountsOneQueryPerEventPerRowAndFarFewerWithBatchingAndCache() throws Exception {
        PostgresServer pg = PostgresServer.shared();
        LookupJoinBench.Result r = LookupJoinBench.of(TestSpark.get(), pg.jdbcUrl(), pg.user(), pg.password(), 200, 10, 500)
                .run();
        assertEquals(LookupJoinBench.EVENTS, r.perRowQueries);
        assertTrue(r.batchedQueries >= 20 && r.batchedQueries <= 40, r.toString()); // 10 batches of 1000, 2 partitions
        assertTrue(r.cachedQueries <= 6, r.toString());       // 200 merchants: nearly all seen in the first batch
        assertTrue(r.cachedVsBatched() >= 3, r.toString());
        assertTrue(r.cachedVsPerRow() >= 100, r.toString());
    }

    @Test
    void lookupWaysJoinTheSameRowsAndRateEventsPerQuery() throws Exception {
        PostgresServer pg = PostgresServer.shared();
        LookupJoinBench bench = LookupJoinBench.of(TestSpark.get(), pg.jdbcUrl(), pg.user(), pg.password(), 200, 10, 500);
        Measured batched = bench.measure(LookupJoinBench.Way.BATCHED);
        Measured cached = bench.measure(LookupJoinBench.Way.BATCHED_CACHED);
        long queries = (long) cached.figures().get("queries");
        assertTrue(queries < (long) batched.figures().get("queries"), batched.figures() + " vs " + cached.figures());
        assertEquals((double) LookupJoinBench.EVENTS / queries, cached.eps(), 1e-9);
        assertTrue(batched.digest().startsWith(LookupJoinBench.EVENTS + " rows, hash "), batched.digest());
        assertEquals(batched.digest(), cached.digest());
    }

    @Test
    void temporalBenchMeasuresBothWaysOnTheSameEvents() throws Exception {
        TemporalJoinBench.Result r = TemporalJoinBench.of(TestSpark.get(), 2_000, 500, 0.01, 2).run();
        assertEquals(1_000, r.events);
        assertTrue(r.temporalEventsPerSecond > 0 && r.naiveEventsPerSecond > 0, r.toString());
    }
}
