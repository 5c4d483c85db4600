package io.streampatterns.bench.joins;

import io.streampatterns.bench.BenchContext;
import io.streampatterns.bench.Benchmark;
import io.streampatterns.bench.Plan;
import io.streampatterns.bench.Side;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code temporal-join}: as-of join against the merchant change stream vs re-reading a full dimension snapshot every
 * batch, on a dimension of 1M merchants (100k with --quick) with 1% changing per minute. The two answer differently
 * by design (version valid at the event's time vs latest version), so results are not compared ({@code agree} is
 * null). The warm-up runs both on a dimension of 2,000 merchants.
 */
public final class TemporalJoinEntry implements Benchmark {
    private static final double CHANGE_FRACTION = 0.01;

    @Override
    public String name() {
        return "temporal-join";
    }

    @Override
    public String description() {
        return "temporal (as-of) join on a CDC stream vs full dimension snapshot re-read per batch";
    }

    @Override
    public Plan plan(BenchContext ctx) {
        int merchants = ctx.quick() ? 100_000 : 1_000_000;
        int eventsPerMinute = ctx.quick() ? 20_000 : 50_000;
        int minutes = ctx.quick() ? 3 : 5;
        TemporalJoinBench bench = TemporalJoinBench.of(ctx.spark(), merchants, eventsPerMinute, CHANGE_FRACTION, minutes);
        TemporalJoinBench small = TemporalJoinBench.of(ctx.spark(), 2_000, 1_000, CHANGE_FRACTION, 2);
        Side temporal = Side.of("temporal", rep -> bench.temporal(ctx.runDir("temporal", rep)));
        Side snapshot = Side.of("snapshot", rep -> bench.naive(ctx.runDir("snapshot", rep)));
        return Plan.of(temporal, snapshot).agreeing().warmUp(() -> {
            small.temporal(ctx.runDir("temporal", -1));
            small.naive(ctx.runDir("snapshot", -1));
        }).figures(runs -> {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("merchants", merchants);
            f.put("events", (long) eventsPerMinute * minutes);
            f.put("change_fraction_per_minute", CHANGE_FRACTION);
            return f;
        });
    }
}
