package io.streampatterns.sessions;

import io.streampatterns.aggregate.AggregateSet;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Comparator;

/**
 * One event as the sessionizer keeps it: its time, gap, close flag and split value (what the rules need), and its
 * own accumulators of the session aggregates (what the output needs). Events are held in state only when a rule may
 * cut a session inside its events ({@link SessionRules#needsEventReplay()}), and only while their session is open;
 * the accumulators are then stored serialized. A Java bean so that Spark stores it as readable columns (state data
 * source). Internal to the sessionizer; public only because Spark's bean encoder requires it.
 */
public final class BufferedEvent implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Total order of events of one key: event time, then non-closing before closing events (so that events of
     * the same millisecond as a logout still belong to its session), then the split value and the serialized
     * aggregate inputs, so that the sessions never depend on arrival order.
     */
    static final Comparator<BufferedEvent> ORDER = Comparator.comparingLong(BufferedEvent::getTime)
            .thenComparing(BufferedEvent::isClose)
            .thenComparing(BufferedEvent::getSplit, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(BufferedEvent::getAggregates, Comparator.nullsFirst(Arrays::compare))
            .thenComparingLong(BufferedEvent::getGap);

    private long time;
    private long gap;
    private boolean close;
    private String split;
    private byte[] aggregates;
    /** The deserialized {@link #aggregates}; null until {@link #accumulators} reads them. */
    private transient Object[] accs;

    public BufferedEvent() {
    }

    BufferedEvent(long time, long gap, boolean close, String split, Object[] accs, byte[] aggregates) {
        this.time = time;
        this.gap = gap;
        this.close = close;
        this.split = split;
        this.accs = accs;
        this.aggregates = aggregates;
    }

    /** This event's accumulators (read only: sessions copy or merge them). */
    Object[] accumulators(AggregateSet set) {
        if (accs == null) {
            accs = set.fromBytes(aggregates);
        }
        return accs;
    }

    /** Event time, epoch milliseconds. */
    public long getTime() {
        return time;
    }

    public void setTime(long time) {
        this.time = time;
    }

    /** Inactivity gap after this event, milliseconds. */
    public long getGap() {
        return gap;
    }

    public void setGap(long gap) {
        this.gap = gap;
    }

    /** Whether the close predicate matched this event. */
    public boolean isClose() {
        return close;
    }

    public void setClose(boolean close) {
        this.close = close;
    }

    /** The value of the split-on column, as text. */
    public String getSplit() {
        return split;
    }

    public void setSplit(String split) {
        this.split = split;
    }

    /** The event's accumulators of the session aggregates, serialized ({@link AggregateSet#toBytes}). */
    public byte[] getAggregates() {
        return aggregates;
    }

    public void setAggregates(byte[] aggregates) {
        this.aggregates = aggregates;
        this.accs = null;
    }
}
