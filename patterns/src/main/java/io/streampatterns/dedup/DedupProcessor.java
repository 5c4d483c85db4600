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
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Per bucket of event ids: a map id → until when the id counts as seen. An id counts as seen while its time is
 * after the watermark, so the answer does not depend on when the state is cleaned. One timer per bucket, at
 * most {@code sweepEveryMs} after the earliest remembered time, sweeps the expired ids of the bucket.
 */
final class DedupProcessor extends StatefulProcessor<Integer, Row, Row> {
    private final int idIndex;
    private final int timeIndex;
    private final long delayMs;
    private final long sweepEveryMs;
    private transient MapState<String, Long> seenUntil;

    /** {@code idIndex}: the id to deduplicate on, as a string; a row whose id is null is passed on as is. */
    DedupProcessor(int idIndex, int timeIndex, long delayMs, long sweepEveryMs) {
        this.idIndex = idIndex;
        this.timeIndex = timeIndex;
        this.delayMs = delayMs;
        this.sweepEveryMs = sweepEveryMs;
    }

    @Override
    public void init(OutputMode outputMode, TimeMode timeMode) {
        seenUntil = getHandle().getMapState("seenUntil", Encoders.STRING(), Encoders.LONG(), TTLConfig.NONE());
    }

    @Override
    public Iterator<Row> handleInputRows(Integer bucket, Iterator<Row> rows, TimerValues timers) {
        long watermark = timers.getCurrentWatermarkInMs();
        // one seek for the bucket: a bucket without remembered ids (a new stream, sparse ids) needs no lookup per row
        boolean remembers = seenUntil.exists();
        List<Row> out = new ArrayList<>();
        Set<String> inBatch = new HashSet<>();
        long earliest = Long.MAX_VALUE;
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
            Long until = remembers ? seenUntil.getValue(id) : null;
            if (until != null && until > watermark) {
                continue;
            }
            out.add(row);
            long newUntil = millis(row.get(timeIndex)) + delayMs;
            if (newUntil > watermark) {
                seenUntil.updateValue(id, newUntil);
                earliest = Math.min(earliest, newUntil);
            }
        }
        if (earliest != Long.MAX_VALUE) {
            sweepBy(earliest, watermark);
        }
        return CollectionConverters.asScala(out.iterator());
    }

    @Override
    public Iterator<Row> handleExpiredTimer(Integer bucket, TimerValues timers, ExpiredTimerInfo info) {
        long watermark = timers.getCurrentWatermarkInMs();
        List<String> expired = new ArrayList<>();
        long earliest = Long.MAX_VALUE;
        for (Iterator<Tuple2<String, Long>> it = seenUntil.iterator(); it.hasNext(); ) {
            Tuple2<String, Long> e = it.next();
            if (e._2() <= watermark) {
                expired.add(e._1());
            } else {
                earliest = Math.min(earliest, e._2());
            }
        }
        expired.forEach(seenUntil::removeKey);
        if (earliest != Long.MAX_VALUE) {
            sweepBy(earliest, watermark);
        }
        return CollectionConverters.asScala(Collections.<Row>emptyIterator());
    }

    /** Makes sure the bucket's one pending sweep fires by the step boundary at or after {@code until}. */
    private void sweepBy(long until, long watermark) {
        long at = Math.floorDiv(until + sweepEveryMs - 1, sweepEveryMs) * sweepEveryMs;
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
