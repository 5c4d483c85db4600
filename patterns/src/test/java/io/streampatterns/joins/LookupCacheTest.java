package io.streampatterns.joins;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static io.streampatterns.testkit.Rows.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class LookupCacheTest {
    final AtomicLong now = new AtomicLong();

    @Test
    void entryExpiresOnceItsTtlHasPassed() {
        LookupCache cache = new LookupCache(10, Duration.ofSeconds(60), now::get);
        cache.put("k", row("v1"));
        now.set(Duration.ofSeconds(59).toNanos());
        assertEquals(Optional.of(row("v1")), cache.get("k"));
        now.set(Duration.ofSeconds(60).toNanos());
        assertNull(cache.get("k"));
        assertEquals(0, cache.size());
    }

    @Test
    void missingKeyIsCachedAsEmpty() {
        LookupCache cache = new LookupCache(10, Duration.ofSeconds(60), now::get);
        cache.put("gone", null);
        assertEquals(Optional.empty(), cache.get("gone"));
        assertNull(cache.get("never-seen"));
    }

    @Test
    void leastRecentlyUsedEntryIsEvictedBeyondTheSizeBound() {
        LookupCache cache = new LookupCache(2, Duration.ofSeconds(60), now::get);
        cache.put("a", row(1));
        cache.put("b", row(2));
        cache.get("a");
        cache.put("c", row(3));
        assertNull(cache.get("b"));
        assertEquals(Optional.of(row(1)), cache.get("a"));
        assertEquals(Optional.of(row(3)), cache.get("c"));
    }
}
