package io.streampatterns.sessions;

import io.streampatterns.core.DecimalSums;

import java.io.Serializable;
import java.util.Objects;

/**
 * The aggregates of one session that is not final yet, as kept in state (one list of them per key): enough to
 * extend it with a new event, merge it with another session, and emit it. A Java bean so that Spark stores it
 * as readable columns. Internal to the sessionizer; public only because Spark's bean encoder requires it.
 *
 * <p>Ties are broken independently of arrival order: {@code firstPage} is the page of the earliest event
 * (same millisecond: a non-null page, then the smallest), {@code lastPage} the page of the latest event (same
 * millisecond: a non-null page, then the largest), {@code campaign} the earliest non-null campaign (same
 * millisecond: the smallest).</p>
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
    private String firstPage;
    private String lastPage;
    private String campaign;
    private long campaignTime = NONE;
    private Double amount;
    private long idSalt;

    public OpenSession() {
    }

    /** A session of the single event {@code e}; {@code dayEnd} is the next local midnight, or {@link #NONE}. */
    static OpenSession of(BufferedEvent e, long dayEnd) {
        OpenSession s = new OpenSession();
        s.start = e.getTime();
        s.last = e.getTime();
        s.gapEnd = e.getTime() + e.getGap();
        s.dayEnd = dayEnd;
        s.count = 1;
        s.firstPage = e.getPage();
        s.lastPage = e.getPage();
        if (e.getCampaign() != null) {
            s.campaign = e.getCampaign();
            s.campaignTime = e.getTime();
        }
        s.amount = e.getAmount();
        return s;
    }

    /** Adds event {@code e} to this session's aggregates. */
    void add(BufferedEvent e) {
        absorb(of(e, dayEnd));
    }

    /** Merges the aggregates of {@code o} (same day) into this session. */
    void absorb(OpenSession o) {
        if (o.start < start || (o.start == start && wins(o.firstPage, firstPage, -1))) {
            firstPage = o.firstPage;
        }
        if (o.last > last || (o.last == last && wins(o.lastPage, lastPage, 1))) {
            lastPage = o.lastPage;
        }
        if (o.campaign != null && (o.campaignTime < campaignTime || (o.campaignTime == campaignTime && wins(o.campaign, campaign, -1)))) {
            campaign = o.campaign;
            campaignTime = o.campaignTime;
        }
        start = Math.min(start, o.start);
        last = Math.max(last, o.last);
        gapEnd = Math.max(gapEnd, o.gapEnd);
        count += o.count;
        amount = DecimalSums.plus(amount, o.amount); // money: 23.65 + 94.58 + 90.24 + 4.03 = 212.5, not 212.49999999999997
    }

    /** Whether the gap intervals of both sessions touch (inclusive), so that they form one session. */
    boolean touches(OpenSession o) {
        return dayEnd == o.dayEnd && start <= o.gapEnd && o.start <= gapEnd;
    }

    OpenSession copy() {
        OpenSession c = new OpenSession();
        c.start = start;
        c.last = last;
        c.gapEnd = gapEnd;
        c.dayEnd = dayEnd;
        c.end = end;
        c.endReason = endReason;
        c.count = count;
        c.firstPage = firstPage;
        c.lastPage = lastPage;
        c.campaign = campaign;
        c.campaignTime = campaignTime;
        c.amount = amount;
        c.idSalt = idSalt;
        return c;
    }

    /** Whether {@code candidate} beats {@code current} for a tie: non-null first, then smaller ({@code sign} -1) or larger (1). */
    private static boolean wins(String candidate, String current, int sign) {
        if (candidate == null) {
            return false;
        }
        return current == null || Integer.signum(candidate.compareTo(current)) == sign;
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

    public String getFirstPage() {
        return firstPage;
    }

    public void setFirstPage(String firstPage) {
        this.firstPage = firstPage;
    }

    public String getLastPage() {
        return lastPage;
    }

    public void setLastPage(String lastPage) {
        this.lastPage = lastPage;
    }

    public String getCampaign() {
        return campaign;
    }

    public void setCampaign(String campaign) {
        this.campaign = campaign;
    }

    public long getCampaignTime() {
        return campaignTime;
    }

    public void setCampaignTime(long campaignTime) {
        this.campaignTime = campaignTime;
    }

    public Double getAmount() {
        return amount;
    }

    public void setAmount(Double amount) {
        this.amount = amount;
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

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof OpenSession)) {
            return false;
        }
        OpenSession s = (OpenSession) o;
        return start == s.start && last == s.last && gapEnd == s.gapEnd && dayEnd == s.dayEnd && end == s.end
                && count == s.count && campaignTime == s.campaignTime && idSalt == s.idSalt && Objects.equals(endReason, s.endReason)
                && Objects.equals(firstPage, s.firstPage) && Objects.equals(lastPage, s.lastPage)
                && Objects.equals(campaign, s.campaign) && Objects.equals(amount, s.amount);
    }

    @Override
    public int hashCode() {
        return Objects.hash(start, last, gapEnd, end, count);
    }
}
