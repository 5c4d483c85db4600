package io.streampatterns.windows;

import io.streampatterns.aggregate.AggregateSet;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The micro-batch's partial aggregation, before the shuffle: within one input partition, events of the same key
 * and pane are added into one accumulator, so the stateful step receives one partial per (key, pane) and
 * partition instead of one row per event. Like Spark's map-side partial aggregation, it keeps at most
 * {@link #MAX_GROUPS} groups in memory and flushes them when full (a key's pane may then arrive as several
 * partials, which the stateful step merges).
 *
 * <p>Input rows: key columns, event time (epoch ms, null rows skipped), aggregate inputs. Output rows: key
 * columns, pane index, event count, serialized accumulators.</p>
 */
final class PaneCombiner implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    static final int MAX_GROUPS = 20_000;

    private final WindowSet windows;
    private final AggregateSet aggregates;
    private final int keyCount;

    PaneCombiner(WindowSet windows, AggregateSet aggregates, int keyCount) {
        this.windows = windows;
        this.aggregates = aggregates;
        this.keyCount = keyCount;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> events) {
        return new Combined(events);
    }

    /** A (key, pane) group of the hash table. */
    private static final class Group {
        final Object[] key;
        final long pane;
        private final int hash;

        Group(Object[] key, long pane) {
            this.key = key;
            this.pane = pane;
            this.hash = 31 * Arrays.hashCode(key) + Long.hashCode(pane);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Group && ((Group) o).pane == pane && Arrays.equals(((Group) o).key, key);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** The accumulators and event count of one group. */
    private static final class Partial {
        final Object[] accs;
        long events;

        Partial(Object[] accs) {
            this.accs = accs;
        }
    }

    /** Fills the table from the input until it is full or the input ends, then drains it; repeats. */
    private final class Combined implements Iterator<Row> {
        private final Iterator<Row> events;
        private final Map<Group, Partial> table = new HashMap<>();
        private Iterator<Map.Entry<Group, Partial>> draining = Collections.emptyIterator();

        Combined(Iterator<Row> events) {
            this.events = events;
        }

        @Override
        public boolean hasNext() {
            if (!draining.hasNext() && events.hasNext()) {
                fill();
            }
            return draining.hasNext();
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Map.Entry<Group, Partial> e = draining.next();
            Group g = e.getKey();
            Object[] row = Arrays.copyOf(g.key, keyCount + 3);
            row[keyCount] = g.pane;
            row[keyCount + 1] = e.getValue().events;
            row[keyCount + 2] = aggregates.toBytes(e.getValue().accs);
            return RowFactory.create(row);
        }

        private void fill() {
            table.clear();
            while (table.size() < MAX_GROUPS && events.hasNext()) {
                Row r = events.next();
                if (r.isNullAt(keyCount)) {
                    continue;
                }
                Object[] key = new Object[keyCount];
                for (int i = 0; i < keyCount; i++) {
                    key[i] = r.get(i);
                }
                long time = r.getLong(keyCount);
                Group g = new Group(key, windows.paneOf(time));
                Partial p = table.computeIfAbsent(g, x -> new Partial(aggregates.zero()));
                aggregates.add(p.accs, r, keyCount + 1, time);
                p.events++;
            }
            draining = table.entrySet().iterator();
        }
    }
}
