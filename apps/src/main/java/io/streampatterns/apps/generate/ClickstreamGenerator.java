package io.streampatterns.apps.generate;

import java.util.PriorityQueue;

/**
 * Web shop clickstream: {@code event_id, user_id, ts, type, page, campaign, amount, device}. Users make visits
 * (see {@link Visitor}); events arrive with realistic delays (see {@link Arrivals}) and about 0.5% are
 * delivered twice, as exact duplicates, like an at-least-once source.
 */
final class ClickstreamGenerator implements Generator {
    static final double DUPLICATE_RATE = 0.005;

    private final GeneratorOptions options;

    ClickstreamGenerator(GeneratorOptions options) {
        this.options = options;
    }

    @Override
    public void write(Sink out, long n) {
        Rand rand = Rand.stream(options.seed(), 1);
        Arrivals arrivals = new Arrivals(out, Rand.stream(options.seed(), 2));
        PriorityQueue<Visitor> due = new PriorityQueue<>();
        for (int i = 0; i < options.users(); i++) {
            Visitor v = new Visitor(i, rand);
            v.startVisit(rand, options.startMillis() + (long) rand.uniform(0, 3 * 3_600_000));
            due.add(v);
        }
        JsonLine json = new JsonLine();
        long events = 0;
        while (arrivals.added() < n) {
            Visitor v = due.poll();
            arrivals.advanceTo(v.nextTime());
            v.step(rand);
            String line = json.begin()
                    .str("event_id", Rand.hexId(options.seed(), 1, events++))
                    .str("user_id", v.userId)
                    .ts("ts", v.time)
                    .str("type", v.type)
                    .str("page", v.page)
                    .str("campaign", v.campaign)
                    .decimal2("amount", v.amount)
                    .str("device", v.device)
                    .end();
            long arrival = arrivals.add(v.time, line);
            if (arrivals.added() < n && rand.chance(DUPLICATE_RATE)) {
                arrivals.addArriving(arrival + rand.between(1_000, 300_000), line);
            }
            due.add(v);
        }
        arrivals.drain();
    }
}
