package io.streampatterns.windows;

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

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The stateful step of {@link PaneWindowAggregation}, per key: merges the micro-batch's pane partials into the
 * key's panes, emits windows (update: those a changed pane belongs to; append: those the watermark closed),
 * prunes dead panes and keeps one event-time timer so that idle keys are closed and cleared too.
 *
 * <p>Input rows: key columns, pane index, event count, serialized accumulators. Output rows: key columns,
 * window start and end (epoch ms), aggregate values, and a late-event count that is only set on a
 * bookkeeping row reporting partials that arrived after all their windows had closed.</p>
 */
final class PaneWindowProcessor extends StatefulProcessor<Row, Row, Row> {
    private static final long serialVersionUID = 1L;

    private final WindowSet windows;
    private final AggregateSet aggregates;
    private final EmitMode mode;
    private final int keyCount;
    private final int width;
    private transient ValueState<byte[]> state;
    private transient List<WindowAssembler> assemblers;

    PaneWindowProcessor(WindowSet windows, AggregateSet aggregates, EmitMode mode, int keyCount) {
        this.windows = windows;
        this.aggregates = aggregates;
        this.mode = mode;
        this.keyCount = keyCount;
        this.width = keyCount + 2 + aggregates.outputFields().size() + 1;
    }

    @Override
    public void init(OutputMode outputMode, TimeMode timeMode) {
        state = getHandle().getValueState("panes", Encoders.BINARY(), TTLConfig.NONE());
        assemblers = new ArrayList<>();
        for (PaneGeometry g : windows.geometries) {
            assemblers.add(new WindowAssembler(g, aggregates));
        }
    }

    @Override
    public Iterator<Row> handleInputRows(Row key, Iterator<Row> partials, TimerValues timerValues) {
        long watermark = timerValues.getCurrentWatermarkInMs();
        KeyPanes s = state.exists() ? KeyPanes.decode(state.get(), aggregates) : new KeyPanes(watermark);
        List<Row> out = new ArrayList<>();
        close(key, s, watermark, out);
        TreeSet<Long> changed = new TreeSet<>();
        long late = 0;
        while (partials.hasNext()) {
            Row r = partials.next();
            long pane = r.getLong(keyCount);
            if (windows.closesAtMs(pane) <= watermark) {
                late += r.getLong(keyCount + 1);
            } else {
                s.panes.merge(pane, aggregates.fromBytes((byte[]) r.get(keyCount + 2)), aggregates::merge);
                changed.add(pane);
            }
        }
        if (late > 0) {
            Object[] row = keyed(key);
            row[width - 1] = late;
            out.add(RowFactory.create(row));
        }
        if (mode == EmitMode.UPDATE && !changed.isEmpty()) {
            for (int g = 0; g < assemblers.size(); g++) {
                PaneGeometry geometry = windows.geometries.get(g);
                emit(key, s, g, geometry.windowsTouching(changed, geometry.firstWindowEndingAfter(watermark),
                        geometry.lastWindow(changed.last())), out);
            }
        }
        save(s);
        return CollectionConverters.asScala(out.iterator());
    }

    @Override
    public Iterator<Row> handleExpiredTimer(Row key, TimerValues timerValues, ExpiredTimerInfo expired) {
        List<Row> out = new ArrayList<>();
        if (state.exists()) {
            KeyPanes s = KeyPanes.decode(state.get(), aggregates);
            if (s.timer == expired.getExpiryTimeInMs()) {
                s.timer = KeyPanes.NO_TIMER; // Spark removes a timer once it has fired
            }
            close(key, s, timerValues.getCurrentWatermarkInMs(), out);
            save(s);
        }
        return CollectionConverters.asScala(out.iterator());
    }

    /** Closes the windows ending by {@code watermark} (emitting them in append mode) and drops dead panes. */
    private void close(Row key, KeyPanes s, long watermark, List<Row> out) {
        if (watermark <= s.closedThrough) {
            return;
        }
        if (mode == EmitMode.APPEND && !s.panes.isEmpty()) {
            for (int g = 0; g < assemblers.size(); g++) {
                PaneGeometry geometry = windows.geometries.get(g);
                long from = geometry.firstWindowEndingAfter(s.closedThrough);
                long to = geometry.lastWindowEndingBy(watermark);
                if (from <= to) {
                    emit(key, s, g, geometry.windowsTouching(s.panes.navigableKeySet(), from, to), out);
                }
            }
        }
        s.closedThrough = watermark;
        while (!s.panes.isEmpty() && windows.closesAtMs(s.panes.firstKey()) <= watermark) {
            s.panes.pollFirstEntry();
        }
    }

    /** Emits the windows {@code starts} of the {@code g}-th window length. */
    private void emit(Row key, KeyPanes s, int g, long[] starts, List<Row> out) {
        PaneGeometry geometry = windows.geometries.get(g);
        Object[][] accs = assemblers.get(g).assemble(s.panes, starts);
        for (int i = 0; i < starts.length; i++) {
            Object[] row = keyed(key);
            row[keyCount] = geometry.startMs(starts[i]);
            row[keyCount + 1] = geometry.endMs(starts[i]);
            aggregates.result(accs[i], row, keyCount + 2);
            out.add(RowFactory.create(row));
        }
    }

    /** Stores the key's panes (or clears the key when none is left) and moves its timer to the next event. */
    private void save(KeyPanes s) {
        s.timer = KeyTimer.move(getHandle(), s.timer, nextTimer(s));
        if (s.panes.isEmpty()) {
            state.clear();
        } else {
            state.update(s.encode(aggregates));
        }
    }

    /**
     * Append: the end of the next window to emit (of any length, the first one ending after the closed time that may hold a pane).
     * Update: when the newest pane dies, so that an idle key is cleared; live keys are pruned as data arrives.
     */
    private long nextTimer(KeyPanes s) {
        if (s.panes.isEmpty()) {
            return KeyPanes.NO_TIMER;
        }
        if (mode == EmitMode.UPDATE) {
            return windows.closesAtMs(s.panes.lastKey());
        }
        long next = Long.MAX_VALUE;
        for (PaneGeometry geometry : windows.geometries) {
            long window = Math.max(geometry.firstWindowEndingAfter(s.closedThrough), geometry.firstWindow(s.panes.firstKey()));
            next = Math.min(next, geometry.endMs(window));
        }
        return next;
    }

    private Object[] keyed(Row key) {
        Object[] row = new Object[width];
        for (int i = 0; i < keyCount; i++) {
            row[i] = key.get(i);
        }
        return row;
    }
}
