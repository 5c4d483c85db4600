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
    void lookupBenchCountsOneQueryPerEventPerRowAndFarFewerWithBatchingAndCacheForTheSameJoinedRows() throws Exception {
        PostgresServer pg = PostgresServer.shared();
        LookupJoinBench bench = LookupJoinBench.of(TestSpark.get(), pg.jdbcUrl(), pg.user(), pg.password(), 200, 10, 500);
        Measured perRow = bench.measure(LookupJoinBench.Way.PER_ROW);
        Measured batched = bench.measure(LookupJoinBench.Way.BATCHED);
        Measured cached = bench.measure(LookupJoinBench.Way.BATCHED_CACHED);
        LookupJoinBench.Result r = new LookupJoinBench.Result(queries(perRow), queries(batched), queries(cached));
        assertEquals(LookupJoinBench.EVENTS, r.perRowQueries);
        assertTrue(r.batchedQueries >= 20 && r.batchedQueries <= 40, r.toString()); // 10 batches of 1000, 2 partitions
        assertTrue(r.cachedQueries <= 6, r.toString());       // 200 merchants: nearly all seen in the first batch
        assertTrue(r.cachedVsBatched() >= 3, r.toString());
        assertTrue(r.cachedVsPerRow() >= 100, r.toString());
        assertEquals(1.0, perRow.eps(), 1e-9, "events per query");
        assertEquals((double) LookupJoinBench.EVENTS / r.cachedQueries, cached.eps(), 1e-9);
        assertTrue(perRow.digest().startsWith(LookupJoinBench.EVENTS + " rows, hash "), perRow.digest());
        assertEquals(perRow.digest(), batched.digest());
        assertEquals(perRow.digest(), cached.digest());
    }

    private static long queries(Measured m) {
        return (long) m.figures().get("queries");
    }

    @Test
    void temporalBenchMeasuresBothWaysOnTheSameEvents() throws Exception {
        TemporalJoinBench.Result r = TemporalJoinBench.of(TestSpark.get(), 2_000, 500, 0.01, 2).run();
        assertEquals(1_000, r.events);
        assertTrue(r.temporalEventsPerSecond > 0 && r.naiveEventsPerSecond > 0, r.toString());
    }
}
