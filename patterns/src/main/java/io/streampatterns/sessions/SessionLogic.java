package io.streampatterns.sessions;

import io.streampatterns.aggregate.AggregateSet;

import java.io.Serializable;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The session rules on plain Java values, without Spark: merging new events into the open sessions of a key
 * (gap and midnight rules only), or cutting the sorted events of a key's open sessions into sessions (any rules).
 */
final class SessionLogic implements Serializable {
    private static final long serialVersionUID = 1L;
    static final String GAP = "gap";
    static final String MAX_DURATION = "max_duration";
    static final String CLOSE_EVENT = "close_event";
    static final String MIDNIGHT = "midnight";
    static final String FIELD_CHANGE = "field_change";

    private final long maxMs;
    private final ZoneId zone;
    private final boolean replay;
    private final AggregateSet aggregates;

    SessionLogic(SessionRules rules, AggregateSet aggregates) {
        this.maxMs = rules.maxDuration().map(d -> d.toMillis()).orElse(OpenSession.NONE);
        this.zone = rules.midnightZone().orElse(null);
        this.replay = rules.needsEventReplay();
        this.aggregates = aggregates;
    }

    AggregateSet aggregates() {
        return aggregates;
    }

    /** Whether the events of open sessions must be kept and replayed ({@link SessionRules#needsEventReplay()}). */
    boolean replays() {
        return replay;
    }

    /** A session and the index of its first event in the list it was cut from. */
    record Span(OpenSession session, int from) {
    }

    /**
     * Gap and midnight rules: the open sessions of a key with {@code events} merged in. A session is the set of
     * events whose {@code [time, time + gap]} intervals touch (inclusive), within one local day; so a new event
     * joins, extends or bridges (merges) the sessions it touches and aggregates are all that is needed.
     * Returns new objects sorted by start; {@code open} is not modified.
     */
    List<OpenSession> merge(List<OpenSession> open, List<BufferedEvent> events) {
        List<OpenSession> sessions = new ArrayList<>(open.size() + 1);
        open.forEach(s -> sessions.add(s.copy(aggregates)));
        for (BufferedEvent e : events) {
            OpenSession merged = OpenSession.of(e, dayEnd(e.getTime()), aggregates);
            boolean grew = true;
            while (grew) {
                grew = sessions.removeIf(s -> {
                    if (s.touches(merged)) {
                        merged.absorb(s, aggregates);
                        return true;
                    }
                    return false;
                });
            }
            sessions.add(merged);
        }
        sessions.forEach(s -> finish(s, false, OpenSession.NONE));
        sessions.sort(Comparator.comparingLong(OpenSession::getStart));
        return sessions;
    }

    /**
     * Any rules: cuts {@code sorted} (in {@link BufferedEvent#ORDER}) into sessions, scanning in event-time order.
     * An event joins the current session unless the session was closed by a close event, or the event comes after
     * its gap end, more than the max duration after its start, on a later local day, or with another split value.
     */
    List<Span> scan(List<BufferedEvent> sorted) {
        List<Span> spans = new ArrayList<>();
        OpenSession current = null;
        String split = null;
        boolean closed = false;
        int from = 0;
        for (int i = 0; i < sorted.size(); i++) {
            BufferedEvent e = sorted.get(i);
            if (current != null) {
                long t = e.getTime();
                boolean inTime = !closed && t <= current.getGapEnd() && t - current.getStart() <= maxMs && t < current.getDayEnd();
                if (inTime && Objects.equals(split, e.getSplit())) {
                    current.add(e, aggregates);
                    closed = e.isClose();
                    continue;
                }
                finish(current, closed, inTime ? t : OpenSession.NONE);
                spans.add(new Span(current, from));
            }
            current = OpenSession.of(e, dayEnd(e.getTime()), aggregates);
            split = e.getSplit();
            closed = e.isClose();
            from = i;
        }
        if (current != null) {
            finish(current, closed, OpenSession.NONE);
            spans.add(new Span(current, from));
        }
        return spans;
    }

    /** Sets the end of {@code s}: the close event, else the earliest of gap end, max duration, midnight and field change. */
    private void finish(OpenSession s, boolean closed, long fieldChangeAt) {
        if (closed) {
            s.setEnd(s.getLast());
            s.setEndReason(CLOSE_EVENT);
            return;
        }
        long end = s.getGapEnd();
        String reason = GAP;
        if (maxMs != OpenSession.NONE && s.getStart() + maxMs < end) {
            end = s.getStart() + maxMs;
            reason = MAX_DURATION;
        }
        if (s.getDayEnd() < end) {
            end = s.getDayEnd();
            reason = MIDNIGHT;
        }
        if (fieldChangeAt < end) {
            end = fieldChangeAt;
            reason = FIELD_CHANGE;
        }
        s.setEnd(end);
        s.setEndReason(reason);
    }

    /** The first local midnight after {@code t} in the rules' zone, or {@link OpenSession#NONE} without the midnight rule. */
    long dayEnd(long t) {
        if (zone == null) {
            return OpenSession.NONE;
        }
        return Instant.ofEpochMilli(t).atZone(zone).toLocalDate().plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
    }
}
