package io.streampatterns.sessions;

import java.io.Serializable;
import java.util.Comparator;

/**
 * One event as the sessionizer keeps it: only the fields the rules and the output need. Events are held in
 * state only when a rule may cut a session inside its events ({@link SessionRules#needsEventReplay()}), and
 * only while their session is open. A Java bean so that Spark stores it as readable columns (state data source).
 * Internal to the sessionizer; public only because Spark's bean encoder requires it.
 */
public final class BufferedEvent implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Total order of events of one key: event time, then non-closing before closing events (so that events of
     * the same millisecond as a logout still belong to its session), then the other fields, so that the
     * sessions never depend on arrival order.
     */
    static final Comparator<BufferedEvent> ORDER = Comparator.comparingLong(BufferedEvent::getTime)
            .thenComparing(BufferedEvent::isClose)
            .thenComparing(BufferedEvent::getSplit, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(BufferedEvent::getPage, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(BufferedEvent::getCampaign, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(BufferedEvent::getAmount, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparingLong(BufferedEvent::getGap);

    private long time;
    private long gap;
    private boolean close;
    private String page;
    private String campaign;
    private Double amount;
    private String split;

    public BufferedEvent() {
    }

    BufferedEvent(long time, long gap, boolean close, String page, String campaign, Double amount, String split) {
        this.time = time;
        this.gap = gap;
        this.close = close;
        this.page = page;
        this.campaign = campaign;
        this.amount = amount;
        this.split = split;
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

    public String getPage() {
        return page;
    }

    public void setPage(String page) {
        this.page = page;
    }

    public String getCampaign() {
        return campaign;
    }

    public void setCampaign(String campaign) {
        this.campaign = campaign;
    }

    public Double getAmount() {
        return amount;
    }

    public void setAmount(Double amount) {
        this.amount = amount;
    }

    /** The value of the split-on column, as text. */
    public String getSplit() {
        return split;
    }

    public void setSplit(String split) {
        this.split = split;
    }
}
