package io.streampatterns.bench.joins;

import io.streampatterns.bench.BenchContext;
import io.streampatterns.bench.BenchResult;
import io.streampatterns.bench.Benchmark;

/**
 * {@code temporal-join}: as-of join against the merchant change stream vs re-reading a full dimension snapshot every
 * batch, on a dimension of 1M merchants (100k with --quick) with 1% changing per minute. The two answer differently
 * by design (version valid at the event's time vs latest version), so results are not compared.
 */
public final class TemporalJoinEntry implements Benchmark {
    @Override
    public String name() {
        return "temporal-join";
    }

    @Override
    public String description() {
        return "temporal (as-of) join on a CDC stream vs full dimension snapshot re-read per batch";
    }

    @Override
    public BenchResult run(BenchContext ctx) {
        int merchants = ctx.quick() ? 100_000 : 1_000_000;
        int eventsPerMinute = ctx.quick() ? 20_000 : 50_000;
        int minutes = ctx.quick() ? 3 : 5;
        TemporalJoinBench.Result r = TemporalJoinBench.of(ctx.spark(), merchants, eventsPerMinute, 0.01, minutes).run();
        return BenchResult.uncompared(name(), r.temporalEventsPerSecond, r.naiveEventsPerSecond)
                .with("merchants", merchants)
                .with("events", r.events)
                .with("change_fraction_per_minute", 0.01);
    }
}
