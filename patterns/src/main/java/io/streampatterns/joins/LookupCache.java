package io.streampatterns.joins;

import org.apache.spark.sql.Row;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Executor-side cache of looked-up rows: least-recently-used eviction beyond {@code maxEntries}, and entries
 * older than the TTL count as absent (refetched). A key known to be missing is cached too (as empty), so a
 * stream of unknown keys does not query the database row after row. Thread-safe; one cache per source name and
 * JVM ({@link #forSource}), shared by the tasks running in that executor.
 */
final class LookupCache {
    private static final Map<String, LookupCache> BY_SOURCE = new ConcurrentHashMap<>();

    private final int maxEntries;
    private final long ttlNanos;
    private final LongSupplier clock;
    private final LinkedHashMap<String, Entry> entries;

    LookupCache(int maxEntries, Duration ttl, LongSupplier nanoClock) {
        this.maxEntries = maxEntries;
        this.ttlNanos = ttl.toNanos();
        this.clock = nanoClock;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > LookupCache.this.maxEntries;
            }
        };
    }

    /** The cache of {@code source} in this JVM; created with these bounds on first use (later bounds are ignored). */
    static LookupCache forSource(String source, int maxEntries, Duration ttl) {
        return BY_SOURCE.computeIfAbsent(source + "|" + maxEntries + "|" + ttl,
                k -> new LookupCache(maxEntries, ttl, System::nanoTime));
    }

    /** {@code null} if unknown or expired; an empty Optional if known to be missing. */
    synchronized Optional<Row> get(String key) {
        Entry e = entries.get(key);
        if (e == null) {
            return null;
        }
        if (clock.getAsLong() - e.loadedAt >= ttlNanos) {
            entries.remove(key);
            return null;
        }
        return e.row;
    }

    synchronized void put(String key, Row rowOrNull) {
        entries.put(key, new Entry(Optional.ofNullable(rowOrNull), clock.getAsLong()));
    }

    synchronized int size() {
        return entries.size();
    }

    private static final class Entry {
        final Optional<Row> row;
        final long loadedAt;

        Entry(Optional<Row> row, long loadedAt) {
            this.row = row;
            this.loadedAt = loadedAt;
        }
    }
}
