package io.streampatterns.joins;

import io.streampatterns.core.ConfigException;
import io.streampatterns.core.Step;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.TaskCompletionListener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Lookup join: enriches each event with the row of its key in an external table (e.g. PostgreSQL, via
 * {@link PostgresLookup}) looked up at processing time, Flink's "lookup join" for Spark.
 *
 * <p>Per partition, events are taken in chunks of {@code batchSize}; the chunk's distinct keys that the
 * executor-side cache does not hold (or holds for longer than the TTL) are fetched in one query
 * ({@code WHERE key = ANY(?)}), never one query per row. The cache ({@link LookupCache}: LRU with a size bound,
 * TTL) is shared by all tasks of an executor and remembers missing keys too. A row changed in the database is
 * seen once its cache entry expires: the TTL is the staleness you accept.</p>
 *
 * <p>Output: every event column, then the looked-up columns prefixed ({@code dim_} by default), then
 * {@value #FOUND}: {@code false} (and null columns) when the key is null or has no row. Stateless, so any output
 * mode; the lookup happens once per event and micro-batch attempt.</p>
 *
 * <pre>{@code
 * Dataset<Row> enriched = LookupJoin.of(LookupJoin.Options.of("merchant_id", PostgresLookup.connect(target, List.of())))
 *         .apply(payments);
 * }</pre>
 */
public final class LookupJoin implements Step {
    public static final String FOUND = "lookup_found";
    static final String NAME = "lookup_join";

    private final Options options;

    private LookupJoin(Options options) {
        this.options = options;
    }

    /** The enrichment step. */
    public static Step of(Options options) {
        Objects.requireNonNull(options, "options");
        return new LookupJoin(options);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Dataset<Row> apply(Dataset<Row> events) {
        Options o = options;
        Columns.require(events, "events", o.key);
        StructType out = events.schema();
        for (StructField f : o.source.schema().fields()) {
            out = out.add(o.prefix + f.name(), f.dataType(), true);
        }
        out = out.add(FOUND, DataTypes.BooleanType, false);
        return events.mapPartitions(new Lookup(o, events.schema().fieldIndex(o.key)), Encoders.row(out));
    }

    /** Options; immutable. */
    public static final class Options {
        private final String key;
        private final LookupSource source;
        private final int batchSize;
        private final int cacheSize;
        private final Duration ttl;
        private final String prefix;

        private Options(String key, LookupSource source, int batchSize, int cacheSize, Duration ttl, String prefix) {
            this.key = key;
            this.source = source;
            this.batchSize = batchSize;
            this.cacheSize = cacheSize;
            this.ttl = ttl;
            this.prefix = prefix;
        }

        /** Look up the event column {@code key} in {@code source}: 500 keys per query, 100 000 cached keys for 5 minutes. */
        public static Options of(String key, LookupSource source) {
            ConfigException.check(key != null && !key.isBlank(), "lookup join: a key column is required");
            return new Options(key, Objects.requireNonNull(source, "source"), 500, 100_000, Duration.ofMinutes(5),
                    TemporalJoin.DIM_PREFIX);
        }

        /** At most this many events per chunk, so at most this many keys per query. */
        public Options withBatchSize(int n) {
            ConfigException.check(n > 0, "lookup join: batch size must be positive, got " + n);
            return new Options(key, source, n, cacheSize, ttl, prefix);
        }

        /** Cache bounds per executor: entries (0 disables the cache) and time to live. */
        public Options withCache(int maxEntries, Duration timeToLive) {
            ConfigException.check(maxEntries >= 0, "lookup join: cache size must not be negative, got " + maxEntries);
            Objects.requireNonNull(timeToLive, "timeToLive");
            ConfigException.check(!timeToLive.isNegative(), "lookup join: cache TTL must not be negative");
            return new Options(key, source, batchSize, maxEntries, timeToLive, prefix);
        }

        public Options withPrefix(String p) {
            return new Options(key, source, batchSize, cacheSize, ttl, Objects.requireNonNull(p, "prefix"));
        }
    }

    /** The per-partition function: chunks, cache, one fetch per chunk's misses. */
    private static final class Lookup implements MapPartitionsFunction<Row, Row> {
        private static final long serialVersionUID = 1L;
        private final LookupSource source;
        private final int keyField;
        private final int batchSize;
        private final int cacheSize;
        private final Duration ttl;

        Lookup(Options o, int keyField) {
            this.source = o.source;
            this.keyField = keyField;
            this.batchSize = o.batchSize;
            this.cacheSize = o.cacheSize;
            this.ttl = o.ttl;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> input) {
            LookupCache cache = cacheSize == 0 ? null : LookupCache.forSource(source.name(), cacheSize, ttl);
            Chunks chunks = new Chunks(input, source, keyField, batchSize, cache);
            TaskContext task = TaskContext.get();
            if (task != null) {
                task.addTaskCompletionListener((TaskCompletionListener) ctx -> chunks.closeConnection()); // also when the task fails
            }
            return chunks;
        }
    }

    /** Lazily enriches the partition chunk by chunk; closes the connection at the end. */
    private static final class Chunks implements Iterator<Row> {
        private final Iterator<Row> input;
        private final LookupSource source;
        private final int keyField;
        private final int batchSize;
        private final LookupCache cache;
        private final int width;
        private LookupSource.Session connection;
        private Iterator<Row> current = Collections.emptyIterator();

        Chunks(Iterator<Row> input, LookupSource source, int keyField, int batchSize, LookupCache cache) {
            this.input = input;
            this.source = source;
            this.keyField = keyField;
            this.batchSize = batchSize;
            this.cache = cache;
            this.width = source.schema().size();
        }

        @Override
        public boolean hasNext() {
            if (!current.hasNext() && input.hasNext()) {
                current = enrich(nextChunk()).iterator();
            }
            if (!current.hasNext()) {
                closeConnection();
            }
            return current.hasNext();
        }

        void closeConnection() {
            if (connection != null) {
                connection.close();
                connection = null;
            }
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return current.next();
        }

        private List<Row> nextChunk() {
            List<Row> chunk = new ArrayList<>(batchSize);
            while (chunk.size() < batchSize && input.hasNext()) {
                chunk.add(input.next());
            }
            return chunk;
        }

        private List<Row> enrich(List<Row> chunk) {
            HashMap<String, Optional<Row>> known = new HashMap<>();
            Set<String> misses = new LinkedHashSet<>();
            for (Row r : chunk) {
                String k = key(r);
                if (k != null && !known.containsKey(k)) {
                    Optional<Row> hit = cache == null ? null : cache.get(k);
                    if (hit == null) {
                        misses.add(k);
                    } else {
                        known.put(k, hit);
                    }
                }
            }
            if (!misses.isEmpty()) {
                Map<String, Row> fetched = fetch(misses);
                for (String k : misses) {
                    Row v = fetched.get(k);
                    known.put(k, Optional.ofNullable(v));
                    if (cache != null) {
                        cache.put(k, v);
                    }
                }
            }
            List<Row> out = new ArrayList<>(chunk.size());
            for (Row r : chunk) {
                String k = key(r);
                out.add(joined(r, k == null ? Optional.empty() : known.get(k)));
            }
            return out;
        }

        private Map<String, Row> fetch(Set<String> keys) {
            try {
                if (connection == null) {
                    connection = source.open();
                }
                return connection.fetch(keys);
            } catch (Exception e) {
                throw new IllegalStateException("lookup in " + source.name() + " failed for " + keys.size() + " keys: "
                        + e.getMessage(), e);
            }
        }

        private String key(Row r) {
            return r.isNullAt(keyField) ? null : String.valueOf(r.get(keyField));
        }

        private Row joined(Row event, Optional<Row> value) {
            Object[] values = new Object[event.length() + width + 1];
            for (int i = 0; i < event.length(); i++) {
                values[i] = event.get(i);
            }
            value.ifPresent(v -> {
                for (int i = 0; i < width; i++) {
                    values[event.length() + i] = v.get(i);
                }
            });
            values[values.length - 1] = value.isPresent();
            return RowFactory.create(values);
        }
    }
}
