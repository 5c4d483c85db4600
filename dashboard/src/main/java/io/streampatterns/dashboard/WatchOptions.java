package io.streampatterns.dashboard;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@link LagWatch} warns about, as one immutable value: the query's trigger interval ({@link Duration#ZERO}: as
 * fast as possible, or {@code Trigger.AvailableNow}; then only the rate rule judges falling behind), how many batches
 * in a row make a query fall behind, and how many batches and how much time of growing state make a leak.
 * {@link #defaults()}: no trigger interval, 3 batches, input rate more than 1.1 times the processed rate, state
 * growing over 5 batches and at least 1 minute.
 */
public final class WatchOptions {
    private final Duration triggerInterval;
    private final int behindBatches;
    private final double rateRatio;
    private final int stateBatches;
    private final Duration stateSpan;

    private WatchOptions(Duration triggerInterval, int behindBatches, double rateRatio, int stateBatches, Duration stateSpan) {
        this.triggerInterval = triggerInterval;
        this.behindBatches = behindBatches;
        this.rateRatio = rateRatio;
        this.stateBatches = stateBatches;
        this.stateSpan = stateSpan;
    }

    public static WatchOptions defaults() {
        return new WatchOptions(Duration.ZERO, 3, 1.1, 5, Duration.ofMinutes(1));
    }

    /** The interval of the query's processing-time trigger; {@link Duration#ZERO} when it has none. */
    public WatchOptions withTriggerInterval(Duration interval) {
        Objects.requireNonNull(interval, "trigger interval");
        if (interval.isNegative()) {
            throw new IllegalArgumentException("trigger interval must not be negative: " + interval);
        }
        return new WatchOptions(interval, behindBatches, rateRatio, stateBatches, stateSpan);
    }

    /** Batches in a row that must be slower than the trigger (or take in faster than they process) to warn; at least 2. */
    public WatchOptions withBehindBatches(int batches) {
        // one slow batch (the first, a compaction, a GC pause) is noise, not lag
        if (batches < 2) {
            throw new IllegalArgumentException("batches behind must be at least 2: " + batches);
        }
        return new WatchOptions(triggerInterval, batches, rateRatio, stateBatches, stateSpan);
    }

    /** How much faster than processed the input must arrive to count as behind (1.1: 10 % faster); at least 1. */
    public WatchOptions withRateRatio(double ratio) {
        // rates of back-to-back batches differ by a few percent by chance: only a clear gap is lag
        if (!(ratio >= 1.0) || Double.isInfinite(ratio)) {
            throw new IllegalArgumentException("rate ratio must be a number of at least 1: " + ratio);
        }
        return new WatchOptions(triggerInterval, behindBatches, ratio, stateBatches, stateSpan);
    }

    /** State must grow in each of {@code batches} batches in a row (at least 2), spanning at least {@code span}, to warn. */
    public WatchOptions withStateGrowth(int batches, Duration span) {
        Objects.requireNonNull(span, "state growth span");
        if (batches < 2 || span.isNegative()) {
            throw new IllegalArgumentException("state growth needs at least 2 batches and a span of 0 or more: "
                    + batches + ", " + span);
        }
        return new WatchOptions(triggerInterval, behindBatches, rateRatio, batches, span);
    }

    public Duration triggerInterval() {
        return triggerInterval;
    }

    public boolean hasTriggerInterval() {
        return !triggerInterval.isZero();
    }

    public int behindBatches() {
        return behindBatches;
    }

    public double rateRatio() {
        return rateRatio;
    }

    public int stateBatches() {
        return stateBatches;
    }

    public Duration stateSpan() {
        return stateSpan;
    }

    @Override
    public String toString() {
        return "WatchOptions{trigger=" + triggerInterval + ", behindBatches=" + behindBatches + ", rateRatio=" + rateRatio
                + ", stateBatches=" + stateBatches + ", stateSpan=" + stateSpan + "}";
    }
}
