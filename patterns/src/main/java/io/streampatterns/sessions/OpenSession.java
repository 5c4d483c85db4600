package io.streampatterns.sessions;

import io.streampatterns.aggregate.AggregateSet;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * One session that is not final yet, as kept in state (one list of them per key): its times, end, event count and
 * the accumulators of the session aggregates; enough to extend it with a new event, merge it with another session,
 * and emit it. A Java bean so that Spark stores it as readable columns (the accumulators as one binary value).
 * Internal to the sessionizer; public only because Spark's bean encoder requires it.
 *
 * <p>The accumulators live deserialized while a key is handled ({@link #accumulators}) and are serialized
 * ({@link #pack}) before the session is compared with its stored version or stored.</p>
 */
public final class OpenSession implements Serializable {
    private static final long serialVersionUID = 1L;
    static final long NONE = Long.MAX_VALUE;

    private long start;
    private long last;
    private long gapEnd;
    private long dayEnd = NONE;
    private long end;
    private String endReason;
    private long count;
    private byte[] aggregates;
    private long idSalt;
    /** The deserialized {@link #aggregates}, or the newer values when they changed; null until first used. */
    private transient Object[] accs;

    public OpenSession() {
    }

    /** A session of the single event {@code e}; {@code dayEnd} is the next local midnight, or {@link #NONE}. */
    static OpenSession of(BufferedEvent e, long dayEnd, AggregateSet set) {
        OpenSession s = new OpenSession();
        s.start = e.getTime();
        s.last = e.getTime();
        s.gapEnd = e.getTime() + e.getGap();
        s.dayEnd = dayEnd;
        s.count = 1;
        s.accs = set.copy(e.accumulators(set));
        return s;
    }

    /** Adds event {@code e} to this session. */
    void add(BufferedEvent e, AggregateSet set) {
        start = Math.min(start, e.getTime());
        last = Math.max(last, e.getTime());
        gapEnd = Math.max(gapEnd, e.getTime() + e.getGap());
        count++;
        accs = set.merge(accumulators(set), e.accumulators(set));
    }

    /** Merges session {@code o} (same day) into this one; {@code o} is left unchanged. */
    void absorb(OpenSession o, AggregateSet set) {
        start = Math.min(start, o.start);
        last = Math.max(last, o.last);
        gapEnd = Math.max(gapEnd, o.gapEnd);
        count += o.count;
        accs = set.merge(accumulators(set), o.accumulators(set));
    }

    /** The accumulators, deserialized on first use; changes through {@link #add}/{@link #absorb} need a {@link #pack}. */
    Object[] accumulators(AggregateSet set) {
        if (accs == null) {
            accs = set.fromBytes(aggregates);
        }
        return accs;
    }

    /** Serializes the accumulators into {@link #getAggregates()}, for comparing and storing. */
    void pack(AggregateSet set) {
        aggregates = set.toBytes(accumulators(set));
    }

    /** Whether the gap intervals of both sessions touch (inclusive), so that they form one session. */
    boolean touches(OpenSession o) {
        return dayEnd == o.dayEnd && start <= o.gapEnd && o.start <= gapEnd;
    }

    OpenSession copy(AggregateSet set) {
        OpenSession c = new OpenSession();
        c.start = start;
        c.last = last;
        c.gapEnd = gapEnd;
        c.dayEnd = dayEnd;
        c.end = end;
        c.endReason = endReason;
        c.count = count;
        c.aggregates = aggregates;
        c.accs = accs == null ? null : set.copy(accs);
        c.idSalt = idSalt;
        return c;
    }

    /** Time of the first event, epoch ms. */
    public long getStart() {
        return start;
    }

    public void setStart(long start) {
        this.start = start;
    }

    /** Time of the last event, epoch ms. */
    public long getLast() {
        return last;
    }

    public void setLast(long last) {
        this.last = last;
    }

    /** The latest {@code event time + gap} of the session's events. */
    public long getGapEnd() {
        return gapEnd;
    }

    public void setGapEnd(long gapEnd) {
        this.gapEnd = gapEnd;
    }

    /** Next local midnight after the start, or {@link #NONE} without the midnight rule. */
    public long getDayEnd() {
        return dayEnd;
    }

    public void setDayEnd(long dayEnd) {
        this.dayEnd = dayEnd;
    }

    /** Session end as the rules compute it now; the session is final once the watermark reaches it. */
    public long getEnd() {
        return end;
    }

    public void setEnd(long end) {
        this.end = end;
    }

    public String getEndReason() {
        return endReason;
    }

    public void setEndReason(String endReason) {
        this.endReason = endReason;
    }

    public long getCount() {
        return count;
    }

    public void setCount(long count) {
        this.count = count;
    }

    /** The accumulators of the session aggregates, serialized as of the last {@link #pack}. */
    public byte[] getAggregates() {
        return aggregates;
    }

    public void setAggregates(byte[] aggregates) {
        this.aggregates = aggregates;
        this.accs = null;
    }

    /**
     * 0, or for a session opened behind the watermark (by late events accepted under Spark's rule, where a session may
     * already have been emitted final) the watermark at its opening, so that its id differs from the final one's.
     */
    public long getIdSalt() {
        return idSalt;
    }

    public void setIdSalt(long idSalt) {
        this.idSalt = idSalt;
    }

    /** Equal fields and packed accumulators ({@link #pack} both first). */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof OpenSession)) {
            return false;
        }
        OpenSession s = (OpenSession) o;
        return start == s.start && last == s.last && gapEnd == s.gapEnd && dayEnd == s.dayEnd && end == s.end
                && count == s.count && idSalt == s.idSalt && Objects.equals(endReason, s.endReason)
                && Arrays.equals(aggregates, s.aggregates);
    }

    @Override
    public int hashCode() {
        return Objects.hash(start, last, gapEnd, end, count);
    }
}
