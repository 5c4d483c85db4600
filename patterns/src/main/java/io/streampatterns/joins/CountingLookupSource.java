package io.streampatterns.joins;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link LookupSource} that counts the queries (fetch calls) and keys its delegate receives, for tests and
 * measurements. Its name (so its executor cache) is the delegate's plus the counter's: a fresh counter starts
 * with a cold cache. The counters live in the JVM that runs the tasks, so they only add up on the driver when
 * Spark runs in local mode.
 */
public final class CountingLookupSource implements LookupSource {
    private static final long serialVersionUID = 1L;
    private static final Map<String, AtomicLong[]> COUNTERS = new ConcurrentHashMap<>();

    private final LookupSource delegate;
    private final String counter;

    private CountingLookupSource(LookupSource delegate, String counter) {
        this.delegate = delegate;
        this.counter = counter;
    }

    /** Counts what {@code delegate} is asked under the name {@code counter} (counters start at zero). */
    public static CountingLookupSource of(LookupSource delegate, String counter) {
        Objects.requireNonNull(delegate, "delegate");
        COUNTERS.put(Objects.requireNonNull(counter, "counter"), new AtomicLong[]{new AtomicLong(), new AtomicLong()});
        return new CountingLookupSource(delegate, counter);
    }

    /** Queries issued so far. */
    public long queries() {
        return COUNTERS.get(counter)[0].get();
    }

    /** Keys asked for so far, over all queries. */
    public long keysQueried() {
        return COUNTERS.get(counter)[1].get();
    }

    @Override
    public String name() {
        return delegate.name() + "#" + counter;
    }

    @Override
    public StructType schema() {
        return delegate.schema();
    }

    @Override
    public Session open() {
        Session c = delegate.open();
        AtomicLong[] counts = COUNTERS.get(counter);
        return new Session() {
            @Override
            public Map<String, Row> fetch(Collection<String> keys) throws Exception {
                counts[0].incrementAndGet();
                counts[1].addAndGet(keys.size());
                return c.fetch(keys);
            }

            @Override
            public void close() {
                c.close();
            }
        };
    }
}
