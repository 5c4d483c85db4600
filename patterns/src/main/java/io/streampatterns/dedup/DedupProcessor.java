package io.streampatterns.dedup;

import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.ExpiredTimerInfo;
import org.apache.spark.sql.streaming.MapState;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StatefulProcessor;
import org.apache.spark.sql.streaming.TTLConfig;
import org.apache.spark.sql.streaming.TimeMode;
import org.apache.spark.sql.streaming.TimerValues;
import scala.Tuple2;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Per bucket of event ids, the ids seen with the time until which each counts as seen (its event time + the delay),
 * in a few immutable sorted {@link IdChunk}s: state {@code chunks}, a map chunk number → chunk bytes (a new chunk
 * takes the number after the highest live one). An id counts as seen while its time is after the watermark, so the answer
 * does not depend on when the state is cleaned.
 *
 * <p>Each micro-batch reads the bucket's chunks once, looks its ids up in them (binary searches in the bytes), and
 * writes the new ids as one new chunk: a few state-store operations per bucket and batch instead of one or two per
 * event. A chunk whose every id has expired is deleted whole; beyond {@value #MAX_CHUNKS} chunks the
 * {@value #MERGE} smallest are merged (dropping expired ids), so that an id is rewritten a few times at most. One
 * event-time timer per bucket, at most {@code sweepEveryMs} after the earliest expiry of a chunk, deletes expired
 * chunks of buckets that receive no more ids.</p>
 */
final class DedupProcessor extends StatefulProcessor<Integer, Row, Row> {
    static final int MAX_CHUNKS = 8;
    static final int MERGE = 4;

    private final int idIndex;
    private final int timeIndex;
    private final long delayMs;
    private final long sweepEveryMs;
    private transient MapState<Long, byte[]> chunks;

    /** {@code idIndex}: the id to deduplicate on, as a string; a row whose id is null is passed on as is. */
    DedupProcessor(int idIndex, int timeIndex, long delayMs, long sweepEveryMs) {
        this.idIndex = idIndex;
        this.timeIndex = timeIndex;
        this.delayMs = delayMs;
        this.sweepEveryMs = sweepEveryMs;
    }

    @Override
    public void init(OutputMode outputMode, TimeMode timeMode) {
        chunks = getHandle().getMapState("chunks", Encoders.LONG(), Encoders.BINARY(), TTLConfig.NONE());
    }

    @Override
    public Iterator<Row> handleInputRows(Integer bucket, Iterator<Row> rows, TimerValues timers) {
        long watermark = timers.getCurrentWatermarkInMs();
        TreeMap<Long, IdChunk> live = live(watermark);
        List<Row> out = new ArrayList<>();
        Set<String> inBatch = new HashSet<>();
        List<byte[]> newIds = new ArrayList<>();
        List<Long> newUntil = new ArrayList<>();
        while (rows.hasNext()) {
            Row row = rows.next();
            if (row.isNullAt(idIndex) || row.isNullAt(timeIndex)) {
                out.add(row);
                continue;
            }
            String id = row.getString(idIndex);
            if (!inBatch.add(id)) {
                continue;
            }
            byte[] key = IdChunk.key(id);
            if (seen(live, key, watermark)) {
                continue;
            }
            out.add(row);
            long until = millis(row.get(timeIndex)) + delayMs;
            if (until > watermark) {
                newIds.add(key);
                newUntil.add(until);
            }
        }
        if (!newIds.isEmpty()) {
            add(live, IdChunk.of(newIds, newUntil), watermark);
        }
        sweepBy(live, watermark);
        return CollectionConverters.asScala(out.iterator());
    }

    @Override
    public Iterator<Row> handleExpiredTimer(Integer bucket, TimerValues timers, ExpiredTimerInfo info) {
        long watermark = timers.getCurrentWatermarkInMs();
        sweepBy(live(watermark), watermark);
        return CollectionConverters.asScala(Collections.<Row>emptyIterator());
    }

    /** The bucket's chunks with an id still seen; chunks whose every id has expired are deleted. */
    private TreeMap<Long, IdChunk> live(long watermark) {
        TreeMap<Long, IdChunk> live = new TreeMap<>();
        List<Long> expired = new ArrayList<>();
        for (Iterator<Tuple2<Long, byte[]>> it = chunks.iterator(); it.hasNext(); ) {
            Tuple2<Long, byte[]> e = it.next();
            IdChunk c = IdChunk.wrap(e._2());
            if (c.maxUntil() <= watermark) {
                expired.add(e._1());
            } else {
                live.put(e._1(), c);
            }
        }
        expired.forEach(chunks::removeKey);
        return live;
    }

    private static boolean seen(Map<Long, IdChunk> live, byte[] id, long watermark) {
        for (IdChunk c : live.values()) {
            if (c.untilOf(id) > watermark) {
                return true;
            }
        }
        return false;
    }

    /** Stores {@code chunk}; past {@link #MAX_CHUNKS}, merges the {@link #MERGE} smallest chunks into one. */
    private void add(TreeMap<Long, IdChunk> live, IdChunk chunk, long watermark) {
        put(live, chunk);
        if (live.size() <= MAX_CHUNKS) {
            return;
        }
        List<Map.Entry<Long, IdChunk>> bySize = new ArrayList<>(live.entrySet());
        bySize.sort(Comparator.comparingInt(e -> e.getValue().size()));
        List<IdChunk> merged = new ArrayList<>();
        for (Map.Entry<Long, IdChunk> e : bySize.subList(0, MERGE)) {
            merged.add(e.getValue());
            chunks.removeKey(e.getKey());
            live.remove(e.getKey());
        }
        put(live, IdChunk.merge(merged, watermark));
    }

    private void put(TreeMap<Long, IdChunk> live, IdChunk chunk) {
        long number = live.isEmpty() ? 0L : live.lastKey() + 1;
        chunks.updateValue(number, chunk.bytes());
        live.put(number, chunk);
    }

    /** Makes sure the bucket's one pending sweep fires by the step boundary at or after its earliest chunk expiry. */
    private void sweepBy(Map<Long, IdChunk> live, long watermark) {
        long earliest = Long.MAX_VALUE;
        for (IdChunk c : live.values()) {
            earliest = Math.min(earliest, c.maxUntil());
        }
        if (earliest == Long.MAX_VALUE) {
            return; // nothing left to expire: no timer needed (a pending one fires once and finds nothing)
        }
        long at = Math.floorDiv(earliest + sweepEveryMs - 1, sweepEveryMs) * sweepEveryMs;
        List<Long> later = new ArrayList<>();
        for (Iterator<Object> it = getHandle().listTimers(); it.hasNext(); ) {
            long t = (Long) it.next();
            if (t <= watermark) {
                continue; // firing in this batch
            }
            if (t <= at) {
                return;
            }
            later.add(t);
        }
        getHandle().registerTimer(at);
        later.forEach(getHandle()::deleteTimer);
    }

    private static long millis(Object t) {
        return t instanceof Timestamp ? ((Timestamp) t).getTime() : ((Instant) t).toEpochMilli();
    }
}
