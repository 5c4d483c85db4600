package io.streampatterns.windows;

import io.streampatterns.aggregate.AggregateSet;
import io.streampatterns.core.EmitMode;
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
 * <p>Input rows: key columns, pane index, event count, serialized accumulators. Output rows, one per key and batch of
 * windows (of one window length), column-wise: key columns, the windows' starts and ends (epoch ms arrays), one array
 * per aggregate value, and a late-event count that is only set on a bookkeeping row (with empty arrays) reporting
 * partials that arrived after all their windows had closed. {@link PaneWindowAggregation} explodes them into one row
 * per window: a day sliding by the minute emits up to 1,440 windows per key and batch, and converting each of them
 * from a Java row into Spark's format cost more than assembling it.</p>
 */
final class PaneWindowProcessor extends StatefulProcessor<Row, Row, Row> {
    private static final long serialVersionUID = 1L;

    private final WindowSet windows;
    private final AggregateSet aggregates;
    private final EmitMode mode;
    private final int keyCount;
    private final int results;
    private transient ValueState<byte[]> state;
    private transient List<WindowAssembler> assemblers;

    PaneWindowProcessor(WindowSet windows, AggregateSet aggregates, EmitMode mode, int keyCount) {
        this.windows = windows;
        this.aggregates = aggregates;
        this.mode = mode;
        this.keyCount = keyCount;
        this.results = aggregates.outputFields().size();
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
            out.add(row(key, new long[0], new long[0], new Object[results][0], late));
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

    /** Emits the windows {@code starts} of the {@code g}-th window length, as one row of arrays. */
    private void emit(Row key, KeyPanes s, int g, long[] starts, List<Row> out) {
        if (starts.length == 0) {
            return;
        }
        PaneGeometry geometry = windows.geometries.get(g);
        Object[][] accs = assemblers.get(g).assemble(s.panes, starts);
        long[] startMs = new long[starts.length];
        long[] endMs = new long[starts.length];
        Object[][] columns = new Object[results][starts.length];
        Object[] values = new Object[results];
        for (int i = 0; i < starts.length; i++) {
            if (i == 0 || accs[i] != accs[i - 1]) { // windows with the same panes share their accumulator and values
                aggregates.result(accs[i], values, 0);
            }
            startMs[i] = geometry.startMs(starts[i]);
            endMs[i] = geometry.endMs(starts[i]);
            for (int c = 0; c < results; c++) {
                columns[c][i] = values[c];
            }
        }
        out.add(row(key, startMs, endMs, columns, null));
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

    private Row row(Row key, long[] startMs, long[] endMs, Object[][] columns, Long late) {
        Object[] row = new Object[keyCount + 3 + results];
        for (int i = 0; i < keyCount; i++) {
            row[i] = key.get(i);
        }
        row[keyCount] = startMs;
        row[keyCount + 1] = endMs;
        System.arraycopy(columns, 0, row, keyCount + 2, results);
        row[row.length - 1] = late;
        return RowFactory.create(row);
    }
}
