package io.streampatterns.dedup;

import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.ExpiredTimerInfo;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StatefulProcessor;
import org.apache.spark.sql.streaming.TTLConfig;
import org.apache.spark.sql.streaming.TimeMode;
import org.apache.spark.sql.streaming.TimerValues;
import org.apache.spark.sql.streaming.ValueState;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Per event id: remembers until when the id counts as seen; a timer forgets it when the watermark passes. */
final class DedupProcessor extends StatefulProcessor<String, Row, Row> {
    private final int timeIndex;
    private final int reasonIndex;
    private final long delayMs;
    private transient ValueState<Long> seenUntil;

    DedupProcessor(int timeIndex, int reasonIndex, long delayMs) {
        this.timeIndex = timeIndex;
        this.reasonIndex = reasonIndex;
        this.delayMs = delayMs;
    }

    @Override
    public void init(OutputMode outputMode, TimeMode timeMode) {
        seenUntil = getHandle().getValueState("seenUntil", Encoders.LONG(), TTLConfig.NONE());
    }

    @Override
    public Iterator<Row> handleInputRows(String key, Iterator<Row> rows, TimerValues timers) {
        List<Row> out = new ArrayList<>();
        boolean seen = seenUntil.exists();
        long watermark = timers.getCurrentWatermarkInMs();
        while (rows.hasNext()) {
            Row row = rows.next();
            if (reasonIndex >= 0 && !row.isNullAt(reasonIndex)) {
                out.add(row);
                continue;
            }
            if (seen) {
                continue;
            }
            seen = true;
            out.add(row);
            long until = millis(row.get(timeIndex)) + delayMs;
            if (until > watermark) {
                seenUntil.update(until);
                getHandle().registerTimer(until);
            }
        }
        return CollectionConverters.asScala(out.iterator());
    }

    @Override
    public Iterator<Row> handleExpiredTimer(String key, TimerValues timers, ExpiredTimerInfo info) {
        seenUntil.clear();
        return CollectionConverters.asScala(Collections.<Row>emptyIterator());
    }

    private static long millis(Object t) {
        return t instanceof Timestamp ? ((Timestamp) t).getTime() : ((Instant) t).toEpochMilli();
    }
}
