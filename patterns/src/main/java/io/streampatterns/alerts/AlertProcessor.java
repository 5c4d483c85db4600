package io.streampatterns.alerts;

import io.streampatterns.core.KeyTimer;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.streaming.ExpiredTimerInfo;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StatefulProcessor;
import org.apache.spark.sql.streaming.TTLConfig;
import org.apache.spark.sql.streaming.TimeMode;
import org.apache.spark.sql.streaming.TimerValues;
import org.apache.spark.sql.streaming.ValueState;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The stateful step of {@link Alerting}, per series: evaluates each closed interval in time order (intervals without
 * a row, once the watermark passes them, as empty ones), counts each rule's streak, emits {@code firing} when a streak
 * reaches the rule's length and {@code resolved} at the first interval where the condition no longer holds.
 *
 * <p>Input rows: key columns, interval start (ms), then per rule its condition (null: the rule does not watch this
 * series) and its value. Output rows: key columns, rule, state, severity, at, since (ms), value, message, and a
 * late-row count set only on a bookkeeping row.</p>
 */
final class AlertProcessor extends StatefulProcessor<Row, Row, Row> {
    private static final long serialVersionUID = 1L;

    private final List<AlertRule> rules;
    private final int[] needed;
    private final boolean[] emptyHolds;
    private final long stepMs;
    private final int keyCount;
    private transient ValueState<byte[]> state;

    AlertProcessor(List<AlertRule> rules, Duration step, boolean[] emptyHolds, int keyCount) {
        this.rules = List.copyOf(rules);
        this.stepMs = step.toMillis();
        this.emptyHolds = emptyHolds.clone();
        this.keyCount = keyCount;
        this.needed = new int[rules.size()];
        for (int i = 0; i < needed.length; i++) {
            needed[i] = rules.get(i).intervals(step);
        }
    }

    @Override
    public void init(OutputMode outputMode, TimeMode timeMode) {
        state = getHandle().getValueState("series", Encoders.BINARY(), TTLConfig.NONE());
    }

    @Override
    public Iterator<Row> handleInputRows(Row key, Iterator<Row> rows, TimerValues timerValues) {
        SeriesState s = state.exists() ? SeriesState.decode(state.get(), rules.size()) : new SeriesState(rules.size());
        List<Row> input = new ArrayList<>();
        CollectionConverters.asJava(rows).forEachRemaining(input::add);
        input.sort(Comparator.comparingLong(r -> r.getLong(keyCount)));
        List<Row> out = new ArrayList<>();
        long late = 0;
        for (Row r : input) {
            long t = r.getLong(keyCount);
            if (s.last != SeriesState.NONE && t <= s.last) {
                late++;
                continue;
            }
            if (s.last == SeriesState.NONE) {
                for (int i = 0; i < rules.size(); i++) {
                    s.applies[i] = !r.isNullAt(keyCount + 1 + 2 * i);
                }
            } else {
                fillEmpty(key, s, t, out);
            }
            for (int i = 0; i < rules.size(); i++) {
                if (s.applies[i]) {
                    Object value = r.get(keyCount + 2 + 2 * i);
                    step(key, s, i, r.getBoolean(keyCount + 1 + 2 * i), t, (Double) value, out);
                }
            }
            s.last = t;
        }
        if (late > 0) {
            Object[] row = keyed(key);
            row[row.length - 1] = late;
            out.add(RowFactory.create(row));
        }
        fillEmpty(key, s, timerValues.getCurrentWatermarkInMs(), out);
        save(s);
        return CollectionConverters.asScala(out.iterator());
    }

    @Override
    public Iterator<Row> handleExpiredTimer(Row key, TimerValues timerValues, ExpiredTimerInfo expired) {
        List<Row> out = new ArrayList<>();
        if (state.exists()) {
            SeriesState s = SeriesState.decode(state.get(), rules.size());
            if (s.timer == expired.getExpiryTimeInMs()) {
                s.timer = SeriesState.NONE; // Spark removes a timer once it has fired
            }
            fillEmpty(key, s, timerValues.getCurrentWatermarkInMs(), out);
            save(s);
        }
        return CollectionConverters.asScala(out.iterator());
    }

    /** Evaluates the intervals after the last one that start before {@code until} as empty. */
    private void fillEmpty(Row key, SeriesState s, long until, List<Row> out) {
        if (s.last == SeriesState.NONE) {
            return;
        }
        for (long t = s.last + stepMs; t < until; t += stepMs) {
            if (stable(s)) {
                s.last = t + Math.floorDiv(until - 1 - t, stepMs) * stepMs;
                return;
            }
            for (int i = 0; i < rules.size(); i++) {
                if (s.applies[i]) {
                    step(key, s, i, emptyHolds[i], t, null, out);
                }
            }
            s.last = t;
        }
    }

    /** True when more empty intervals would change nothing. */
    private boolean stable(SeriesState s) {
        for (int i = 0; i < rules.size(); i++) {
            if (s.applies[i] && (emptyHolds[i] ? !s.firing[i] : s.firing[i] || s.streak[i] > 0)) {
                return false;
            }
        }
        return true;
    }

    private void step(Row key, SeriesState s, int i, boolean holds, long t, Double value, List<Row> out) {
        AlertRule rule = rules.get(i);
        if (holds) {
            if (s.streak[i] == 0) {
                s.since[i] = t;
            }
            s.streak[i] = Math.min(s.streak[i] + 1, needed[i]);
            if (!s.firing[i] && s.streak[i] >= needed[i]) {
                s.firing[i] = true;
                out.add(event(key, rule, "firing", t + stepMs, s.since[i], value,
                        rule.name() + ": " + rule.condition() + " since " + Instant.ofEpochMilli(s.since[i])));
            }
        } else {
            s.streak[i] = 0;
            if (s.firing[i]) {
                s.firing[i] = false;
                out.add(event(key, rule, "resolved", t + stepMs, s.since[i], value,
                        rule.name() + ": resolved after " + Duration.ofMillis(t - s.since[i]).toMinutes() + " min"));
            }
        }
    }

    private Row event(Row key, AlertRule rule, String what, long at, long since, Double value, String message) {
        Object[] row = keyed(key);
        int c = keyCount;
        row[c] = rule.name();
        row[c + 1] = what;
        row[c + 2] = rule.severity();
        row[c + 3] = at;
        row[c + 4] = since;
        row[c + 5] = value;
        row[c + 6] = message;
        return RowFactory.create(row);
    }

    /** Stores the series (or clears it when nothing is pending) and keeps one timer while empty intervals matter. */
    private void save(SeriesState s) {
        boolean idle = stable(s);
        s.timer = KeyTimer.move(getHandle(), s.timer, idle ? KeyTimer.NONE : s.last + stepMs + 1);
        boolean anyFiring = false;
        for (boolean f : s.firing) {
            anyFiring |= f;
        }
        if (idle && !anyFiring) {
            state.clear();
        } else {
            state.update(s.encode());
        }
    }

    private Object[] keyed(Row key) {
        Object[] row = new Object[keyCount + 8];
        for (int i = 0; i < keyCount; i++) {
            row[i] = key.get(i);
        }
        return row;
    }
}
