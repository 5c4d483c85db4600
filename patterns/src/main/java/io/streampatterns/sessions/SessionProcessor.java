package io.streampatterns.sessions;

import io.streampatterns.aggregate.AggregateSet;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.streaming.ExpiredTimerInfo;
import org.apache.spark.sql.streaming.ListState;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StatefulProcessor;
import org.apache.spark.sql.streaming.TTLConfig;
import org.apache.spark.sql.streaming.TimeMode;
import org.apache.spark.sql.streaming.TimerValues;
import org.apache.spark.sql.streaming.ValueState;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The stateful step of {@link Sessionizer}, run by {@code transformWithState} in event time on RocksDB state.
 *
 * <p>State per key: {@code sessions}, one value with the key's open sessions (times, count, serialized accumulators
 * of the session aggregates) and the time of its one event-time timer; with rules that need it, {@code events}, the
 * events of those open sessions (each with its own serialized accumulators).
 * The timer is at or before the earliest end of the open sessions: as a session grows its end moves later, and the
 * timer is left where it is (moving it on every batch would cost state writes); when it fires early, it is set again
 * at the current earliest end. When the watermark reaches a session's end the session is emitted final and its
 * aggregates and events leave the state; a key without open sessions holds no state at all.</p>
 */
final class SessionProcessor extends StatefulProcessor<Row, Row, Row> {
    private static final long serialVersionUID = 1L;
    static final String SUPERSEDED = "superseded";
    /** Output columns before the aggregates' columns: key, start, end, last event, duration, count, id. */
    private static final int BUILT_IN = 7;

    private final SessionLogic logic;
    private final AggregateSet aggregates;
    private final int results;
    private final boolean updates;
    private transient ValueState<KeySessions> sessions;
    private transient ListState<BufferedEvent> events;

    SessionProcessor(SessionLogic logic, boolean updates) {
        this.logic = logic;
        this.aggregates = logic.aggregates();
        this.results = aggregates.outputFields().size();
        this.updates = updates;
    }

    @Override
    public void init(OutputMode outputMode, TimeMode timeMode) {
        sessions = getHandle().getValueState("sessions", Encoders.bean(KeySessions.class), TTLConfig.NONE());
        if (logic.replays()) {
            events = getHandle().getListState("events", Encoders.bean(BufferedEvent.class), TTLConfig.NONE());
        }
    }

    @Override
    public Iterator<Row> handleInputRows(Row key, Iterator<Row> rows, TimerValues timerValues) {
        KeySessions state = sessions.exists() ? sessions.get() : new KeySessions();
        List<BufferedEvent> fresh = new ArrayList<>();
        CollectionConverters.asJava(rows).forEachRemaining(r -> fresh.add(SessionInput.event(r, aggregates, logic.replays())));
        List<BufferedEvent> all = List.of();
        List<SessionLogic.Span> now;
        if (logic.replays()) {
            all = read(events);
            all.addAll(fresh);
            all.sort(BufferedEvent.ORDER);
            now = logic.scan(all);
        } else {
            now = spans(logic.merge(state.getOpen(), fresh));
        }
        return CollectionConverters.asScala(settle(key, state, now, all, fresh, timerValues.getCurrentWatermarkInMs()).iterator());
    }

    @Override
    public Iterator<Row> handleExpiredTimer(Row key, TimerValues timerValues, ExpiredTimerInfo expiredTimerInfo) {
        KeySessions state = sessions.exists() ? sessions.get() : new KeySessions();
        List<BufferedEvent> all = logic.replays() ? read(events) : new ArrayList<>();
        all.sort(BufferedEvent.ORDER);
        List<SessionLogic.Span> now = logic.replays() ? logic.scan(all) : spans(state.getOpen());
        return CollectionConverters.asScala(settle(key, state, now, all, null, timerValues.getCurrentWatermarkInMs()).iterator());
    }

    /**
     * Emits and stores the new sessions of a key: sessions whose end the watermark reached are emitted final and
     * dropped with their events; in update mode, open sessions that changed are emitted, and sessions emitted
     * before whose id no longer exists (merged into another, or start moved earlier) are emitted as superseded.
     * {@code fresh}: the new events, or null when the key's timer fired.
     */
    private List<Row> settle(Row key, KeySessions state, List<SessionLogic.Span> now, List<BufferedEvent> all,
                             List<BufferedEvent> fresh, long watermark) {
        boolean timerFired = fresh == null;
        Object k = key.get(0);
        List<Row> out = new ArrayList<>();
        List<OpenSession> open = new ArrayList<>();
        int keepFrom = all.size();
        Map<Slot, OpenSession> before = new LinkedHashMap<>();
        Map<Long, Integer> seen = new HashMap<>();
        state.getOpen().forEach(s -> before.put(Slot.next(s, seen), s));
        seen.clear();
        for (SessionLogic.Span span : now) {
            OpenSession s = span.session();
            Slot slot = Slot.next(s, seen);
            OpenSession same = before.remove(slot);
            s.setIdSalt(same != null ? same.getIdSalt() : s.getStart() <= watermark ? watermark : 0L);
            if (s.getEnd() <= watermark) {
                out.add(row(k, s, slot, true, s.getEndReason()));
            } else {
                s.pack(aggregates);
                open.add(s);
                keepFrom = Math.min(keepFrom, span.from());
                if (updates && !s.equals(same)) {
                    out.add(row(k, s, slot, false, s.getEndReason()));
                }
            }
        }
        if (updates) {
            before.forEach((slot, s) -> out.add(row(k, s, slot, true, SUPERSEDED)));
        }
        long armed = armTimer(timerFired ? OpenSession.NONE : state.getTimer(), minEnd(open), watermark);
        boolean changed = !timerFired || open.size() != state.getOpen().size();
        if (open.isEmpty()) {
            sessions.clear();
        } else if (changed || armed != state.getTimer()) {
            sessions.update(new KeySessions(open, armed));
        }
        if (events != null && changed) {
            storeEvents(all.subList(keepFrom, all.size()), keepFrom == 0 ? fresh : null);
        }
        return out;
    }

    /** Stores the events of open sessions: appends {@code added} when all earlier ones stay (read sorts them). */
    private void storeEvents(List<BufferedEvent> kept, List<BufferedEvent> added) {
        if (kept.isEmpty()) {
            events.clear();
        } else if (added != null) {
            if (!added.isEmpty()) {
                events.appendList(added.toArray(new BufferedEvent[0]));
            }
        } else {
            events.put(kept.toArray(new BufferedEvent[0]));
        }
    }

    /**
     * Keeps the key's one timer at or before {@code earliestEnd} ({@link OpenSession#NONE}: no open session, no
     * timer) and returns its time: an {@code armed} timer still ahead of the watermark and not after the earliest end
     * stays (it may fire early; it is then set again); otherwise it is replaced. A fired timer is passed as none.
     */
    private long armTimer(long armed, long earliestEnd, long watermark) {
        if (armed != OpenSession.NONE && earliestEnd != OpenSession.NONE && armed > watermark && armed <= earliestEnd) {
            return armed;
        }
        if (armed != OpenSession.NONE) {
            getHandle().deleteTimer(armed);
        }
        if (earliestEnd != OpenSession.NONE) {
            getHandle().registerTimer(earliestEnd);
        }
        return earliestEnd;
    }

    private static long minEnd(List<OpenSession> list) {
        long min = OpenSession.NONE;
        for (OpenSession s : list) {
            min = Math.min(min, s.getEnd());
        }
        return min;
    }

    private static List<SessionLogic.Span> spans(List<OpenSession> list) {
        List<SessionLogic.Span> spans = new ArrayList<>(list.size());
        list.forEach(s -> spans.add(new SessionLogic.Span(s, 0)));
        return spans;
    }

    private static <T> List<T> read(ListState<T> state) {
        List<T> list = new ArrayList<>();
        if (state.exists()) {
            CollectionConverters.asJava(state.get()).forEachRemaining(list::add);
        }
        return list;
    }

    /** An output row: {@link SessionOptions#outputSchema}. */
    private Row row(Object key, OpenSession s, Slot slot, boolean isFinal, String reason) {
        Object[] values = new Object[BUILT_IN + results + 2];
        values[0] = key;
        values[1] = new Timestamp(s.getStart());
        values[2] = new Timestamp(s.getEnd());
        values[3] = new Timestamp(s.getLast());
        values[4] = s.getEnd() - s.getStart();
        values[5] = s.getCount();
        values[6] = sessionId(key, slot, s.getIdSalt());
        aggregates.result(s.accumulators(aggregates), values, BUILT_IN);
        values[BUILT_IN + results] = isFinal;
        values[BUILT_IN + results + 1] = reason;
        return RowFactory.create(values);
    }

    /**
     * A stable id: a name-based UUID of the key and the start (epoch ms); plus, in rare cases only, the rank among
     * sessions of the key with the same start (events of one millisecond split by a rule) and the salt.
     */
    static String sessionId(Object key, Slot slot, long salt) {
        StringBuilder name = new StringBuilder().append(key).append('|').append(slot.start());
        if (slot.seq() > 0 || salt != 0) {
            name.append('|').append(slot.seq()).append('|').append(salt);
        }
        return UUID.nameUUIDFromBytes(name.toString().getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** Where a session stands among its key's sessions (in start order): its start, and how many before it share it. */
    record Slot(long start, int seq) {
        static Slot next(OpenSession s, Map<Long, Integer> seen) {
            return new Slot(s.getStart(), seen.merge(s.getStart(), 1, Integer::sum) - 1);
        }
    }
}
