package io.streampatterns.bench.joins;

import io.streampatterns.bench.BenchContext;
import io.streampatterns.bench.Benchmark;
import io.streampatterns.bench.Plan;
import io.streampatterns.bench.Side;
import io.streampatterns.bench.joins.LookupJoinBench.Way;
import io.streampatterns.testkit.PostgresServer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code lookup-join}: database queries per 10,000 events for a PostgreSQL lookup join: batched with the executor
 * cache (ours) vs one query per row (baseline), and batched without cache beside them. Figures are events per
 * database query, so the ratio is how many times fewer queries ours issues (target: at least 100). The joined rows of
 * the three ways must agree by content.
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
    public Plan plan(BenchContext ctx) {
        PostgresServer pg = PostgresServer.shared();
        LookupJoinBench bench = LookupJoinBench.of(ctx.spark(), pg.jdbcUrl(), pg.user(), pg.password(), 1_000, 10, 500);
        Side ours = Side.of("batched_cached", rep -> bench.measure(Way.BATCHED_CACHED));
        Side perRow = Side.of("per_row", rep -> bench.measure(Way.PER_ROW));
        Side batched = Side.of("batched", rep -> bench.measure(Way.BATCHED));
        return Plan.of(ours, perRow, batched).figures(runs -> {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("note_unit", "events per database query");
            f.put("events", LookupJoinBench.EVENTS);
            for (String side : runs.keySet()) {
                f.put("queries_" + side, runs.get(side).get(runs.get(side).size() - 1).figures().get("queries"));
            }
            return f;
        });
    }
}
