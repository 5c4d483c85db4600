package io.streampatterns.sessions;

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
 * <p>State per key: {@code sessions}, the list of the key's open sessions (aggregates); with rules that need it,
 * {@code events}, the events of those open sessions. One event-time timer per key, at the earliest end of its
 * open sessions. When the watermark reaches a session's end the session is emitted final and its aggregates and
 * events leave the state; a key without open sessions holds no state at all.</p>
 */
final class SessionProcessor extends StatefulProcessor<Row, Row, Row> {
    private static final long serialVersionUID = 1L;
    static final String SUPERSEDED = "superseded";

    private final SessionLogic logic;
    private final boolean updates;
    private transient ListState<OpenSession> sessions;
    private transient ListState<BufferedEvent> events;

    SessionProcessor(SessionLogic logic, boolean updates) {
        this.logic = logic;
        this.updates = updates;
    }

    @Override
    public void init(OutputMode outputMode, TimeMode timeMode) {
        sessions = getHandle().getListState("sessions", Encoders.bean(OpenSession.class), TTLConfig.NONE());
        if (logic.replays()) {
            events = getHandle().getListState("events", Encoders.bean(BufferedEvent.class), TTLConfig.NONE());
        }
    }

    @Override
    public Iterator<Row> handleInputRows(Row key, Iterator<Row> rows, TimerValues timerValues) {
        List<OpenSession> old = read(sessions);
        List<BufferedEvent> fresh = new ArrayList<>();
        CollectionConverters.asJava(rows).forEachRemaining(r -> fresh.add(SessionInput.event(r)));
        List<Row> out;
        if (logic.replays()) {
            List<BufferedEvent> all = read(events);
            all.addAll(fresh);
            all.sort(BufferedEvent.ORDER);
            out = settle(key, old, logic.scan(all), all, timerValues.getCurrentWatermarkInMs(), false);
        } else {
            out = settle(key, old, spans(logic.merge(old, fresh)), List.of(), timerValues.getCurrentWatermarkInMs(), false);
        }
        return CollectionConverters.asScala(out.iterator());
    }

    @Override
    public Iterator<Row> handleExpiredTimer(Row key, TimerValues timerValues, ExpiredTimerInfo expiredTimerInfo) {
        List<OpenSession> old = read(sessions);
        List<Row> out;
        if (logic.replays()) {
            List<BufferedEvent> all = read(events);
            out = settle(key, old, logic.scan(all), all, timerValues.getCurrentWatermarkInMs(), true);
        } else {
            out = settle(key, old, spans(old), List.of(), timerValues.getCurrentWatermarkInMs(), true);
        }
        return CollectionConverters.asScala(out.iterator());
    }

    /**
     * Emits and stores the new sessions of a key: sessions whose end the watermark reached are emitted final and
     * dropped with their events; in update mode, open sessions that changed are emitted, and sessions emitted
     * before whose id no longer exists (merged into another, or start moved earlier) are emitted as superseded.
     */
    private List<Row> settle(Row key, List<OpenSession> old, List<SessionLogic.Span> now, List<BufferedEvent> all,
                             long watermark, boolean timerFired) {
        Object k = key.get(0);
        List<Row> out = new ArrayList<>();
        List<OpenSession> open = new ArrayList<>();
        int keepFrom = all.size();
        Map<Slot, OpenSession> before = new LinkedHashMap<>();
        Map<Long, Integer> seen = new HashMap<>();
        old.forEach(s -> before.put(Slot.next(s, seen), s));
        seen.clear();
        for (SessionLogic.Span span : now) {
            OpenSession s = span.session();
            Slot slot = Slot.next(s, seen);
            OpenSession same = before.remove(slot);
            s.setIdSalt(same != null ? same.getIdSalt() : s.getStart() <= watermark ? watermark : 0L);
            if (s.getEnd() <= watermark) {
                out.add(row(k, s, slot, true, s.getEndReason()));
            } else {
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
        store(open, all.subList(keepFrom, all.size()));
        moveTimer(minEnd(old), minEnd(open), timerFired);
        return out;
    }

    private void store(List<OpenSession> open, List<BufferedEvent> kept) {
        if (open.isEmpty()) {
            sessions.clear();
        } else {
            sessions.put(open.toArray(new OpenSession[0]));
        }
        if (events != null) {
            if (kept.isEmpty()) {
                events.clear();
            } else {
                events.put(kept.toArray(new BufferedEvent[0]));
            }
        }
    }

    /** Keeps the one timer of the key at the earliest end of its open sessions (a fired timer is already gone). */
    private void moveTimer(long before, long after, boolean timerFired) {
        if (before == after && !timerFired) {
            return;
        }
        if (before != OpenSession.NONE && !timerFired) {
            getHandle().deleteTimer(before);
        }
        if (after != OpenSession.NONE) {
            getHandle().registerTimer(after);
        }
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

    private static Row row(Object key, OpenSession s, Slot slot, boolean isFinal, String reason) {
        return RowFactory.create(key, new Timestamp(s.getStart()), new Timestamp(s.getEnd()), new Timestamp(s.getLast()),
                s.getEnd() - s.getStart(), s.getCount(), sessionId(key, slot, s.getIdSalt()), s.getFirstPage(), s.getLastPage(),
                s.getCampaign(), s.getAmount(), isFinal, reason);
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
