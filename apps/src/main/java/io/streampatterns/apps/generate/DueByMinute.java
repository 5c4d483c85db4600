package io.streampatterns.apps.generate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Items due at a future time, released in order one whole minute at a time: much cheaper than a heap when
 * hundreds of thousands are pending (e.g. fraud labels due days later). Items of one minute are sorted by their
 * natural order, which must start with the due time.
 */
final class DueByMinute<T extends Comparable<T>> {
    private static final long MINUTE = 60_000;

    private final Map<Long, List<T>> buckets = new HashMap<>();
    private long nextMinute;

    /** No item will be due before {@code startMillis}. */
    DueByMinute(long startMillis) {
        this.nextMinute = Math.floorDiv(startMillis, MINUTE);
    }

    void add(long dueMillis, T item) {
        long minute = Math.max(nextMinute, Math.floorDiv(dueMillis, MINUTE));
        buckets.computeIfAbsent(minute, m -> new ArrayList<>()).add(item);
    }

    /** Releases the items of every minute that has ended by {@code clockMillis}. */
    void releaseUntil(long clockMillis, Consumer<T> out) {
        while ((nextMinute + 1) * MINUTE <= clockMillis) {
            release(buckets.remove(nextMinute++), out);
        }
    }

    /** Releases all remaining items. */
    void releaseAll(Consumer<T> out) {
        new TreeMap<>(buckets).values().forEach(items -> release(items, out));
        buckets.clear();
    }

    private static <T extends Comparable<T>> void release(List<T> items, Consumer<T> out) {
        if (items != null) {
            Collections.sort(items);
            items.forEach(out);
        }
    }
}
