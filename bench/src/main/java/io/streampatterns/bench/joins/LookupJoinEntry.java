package io.streampatterns.bench.joins;

import io.streampatterns.bench.BenchContext;
import io.streampatterns.bench.BenchResult;
import io.streampatterns.bench.Benchmark;
import io.streampatterns.testkit.PostgresServer;

/**
 * {@code lookup-join}: database queries per 10,000 events for a PostgreSQL lookup join: batched with the executor
 * cache (ours) vs one query per row (baseline). Figures are events per database query, so the ratio is how many
 * times fewer queries ours issues (target: at least 100).
 */
public final class LookupJoinEntry implements Benchmark {
    @Override
    public String name() {
        return "lookup-join";
    }

    @Override
    public String description() {
        return "lookup join: queries per 10k events, batched+cached vs per row (events per query)";
    }

    @Override
    public BenchResult run(BenchContext ctx) {
        PostgresServer pg = PostgresServer.shared();
        LookupJoinBench.Result r = LookupJoinBench.of(ctx.spark(), pg.jdbcUrl(), pg.user(), pg.password(), 1_000, 10, 500).run();
        double events = LookupJoinBench.EVENTS;
        return BenchResult.uncompared(name(), events / r.cachedQueries, events / r.perRowQueries)
                .with("unit", "events per database query")
                .with("queries_per_row", r.perRowQueries)
                .with("queries_batched", r.batchedQueries)
                .with("queries_batched_cached", r.cachedQueries);
    }
}
