package io.streampatterns.apps.generate;

import java.util.PriorityQueue;

/**
 * Delivers events in arrival order rather than event-time order, as a real source does: each event arrives
 * after a delivery delay that is mostly under a quarter second, for about 3% a few seconds and for about 0.5% a few
 * minutes. Generators add events in event-time order and advance the clock; events whose arrival time has
 * passed are written to the sink.
 */
final class Arrivals {
    private record Pending(long arrival, long seq, String line) implements Comparable<Pending> {
        @Override
        public int compareTo(Pending o) {
            int c = Long.compare(arrival, o.arrival);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final PriorityQueue<Pending> queue = new PriorityQueue<>();
    private final Sink out;
    private final Rand rand;
    private long added;

    Arrivals(Sink out, Rand rand) {
        this.out = out;
        this.rand = rand;
    }

    /** Queues an event that happened at {@code eventMillis}, with a random delivery delay; returns its arrival. */
    long add(long eventMillis, String line) {
        long arrival = eventMillis + delayMillis();
        addArriving(arrival, line);
        return arrival;
    }

    /** Queues a line that arrives at exactly {@code arrivalMillis} (e.g. a redelivered duplicate). */
    void addArriving(long arrivalMillis, String line) {
        queue.add(new Pending(arrivalMillis, added++, line));
    }

    /** Number of lines queued so far (written or pending). */
    long added() {
        return added;
    }

    /** Writes every queued line that has arrived by {@code clockMillis}. */
    void advanceTo(long clockMillis) {
        while (!queue.isEmpty() && queue.peek().arrival() <= clockMillis) {
            out.write(queue.poll().line());
        }
    }

    /** Writes all remaining lines in arrival order. */
    void drain() {
        advanceTo(Long.MAX_VALUE);
    }

    private long delayMillis() {
        double u = rand.uniform();
        if (u < 0.005) {
            return rand.between(60_000, 300_000);
        }
        if (u < 0.035) {
            return rand.between(2_000, 30_000);
        }
        return rand.between(0, 250);
    }
}
