package io.streampatterns.globalagg;

import io.streampatterns.core.DecimalSums;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The running statistics of one key while a batch is processed; converts to and from the state value. */
final class Totals {
    private final StatsLayout layout;
    private long activeSince;
    private long firstSeen;
    private long lastSeen;
    private long events;
    private long sessions;
    private final long[] longSums;
    private final double[] doubleSums;

    private Totals(StatsLayout layout) {
        this.layout = layout;
        this.longSums = new long[layout.sumIndexes.length];
        this.doubleSums = new double[layout.sumIndexes.length];
    }

    /** Totals of a key seen for the first time: no events yet. */
    static Totals empty(StatsLayout layout) {
        Totals t = new Totals(layout);
        t.activeSince = Long.MAX_VALUE;
        t.firstSeen = Long.MAX_VALUE;
        t.lastSeen = Long.MIN_VALUE;
        return t;
    }

    static Totals fromState(StatsLayout layout, Row state) {
        Totals t = new Totals(layout);
        t.activeSince = state.getLong(0);
        t.firstSeen = state.getLong(1);
        t.lastSeen = state.getLong(2);
        t.events = state.getLong(3);
        t.sessions = state.getLong(4);
        for (int i = 0; i < t.longSums.length; i++) {
            if (layout.integral[i]) {
                t.longSums[i] = state.getLong(5 + i);
            } else {
                t.doubleSums[i] = state.getDouble(5 + i);
            }
        }
        return t;
    }

    /** Adds one input event (key and time not null). */
    void add(Row event) {
        long time = millis(event.get(layout.timeIndex));
        firstSeen = Math.min(firstSeen, time);
        lastSeen = Math.max(lastSeen, time);
        events++;
        if (layout.countsSessions() && !event.isNullAt(layout.sessionIndex) && event.getBoolean(layout.sessionIndex)) {
            sessions++;
        }
        for (int i = 0; i < longSums.length; i++) {
            int at = layout.sumIndexes[i];
            if (event.isNullAt(at)) {
                continue;
            }
            Number n = (Number) event.get(at);
            if (layout.integral[i]) {
                longSums[i] = Math.addExact(longSums[i], n.longValue());
            } else {
                doubleSums[i] = DecimalSums.plus(doubleSums[i], n.doubleValue()); // amounts: no binary noise
            }
        }
    }

    /** Fixes the generation start of new totals to their earliest event time. */
    void startIfNew() {
        if (activeSince == Long.MAX_VALUE) {
            activeSince = firstSeen;
        }
    }

    long lastSeen() {
        return lastSeen;
    }

    Row toState() {
        List<Object> v = new ArrayList<>(List.of(activeSince, firstSeen, lastSeen, events, sessions));
        addSums(v);
        return RowFactory.create(v.toArray());
    }

    Row toOutput(Object key, boolean pruned) {
        List<Object> v = new ArrayList<>();
        v.add(key);
        v.add(new Timestamp(activeSince));
        v.add(new Timestamp(firstSeen));
        v.add(new Timestamp(lastSeen));
        v.add(events);
        addSums(v);
        if (layout.countsSessions()) {
            v.add(sessions);
        }
        v.add(pruned);
        return RowFactory.create(v.toArray());
    }

    private void addSums(List<Object> v) {
        for (int i = 0; i < longSums.length; i++) {
            v.add(layout.integral[i] ? (Object) longSums[i] : (Object) doubleSums[i]);
        }
    }

    private static long millis(Object t) {
        return t instanceof Timestamp ? ((Timestamp) t).getTime() : ((Instant) t).toEpochMilli();
    }
}
