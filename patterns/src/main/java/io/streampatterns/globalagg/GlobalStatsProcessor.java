package io.streampatterns.globalagg;

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

import java.time.Duration;
import java.util.Collections;
import java.util.List;

/**
 * Per key: the running totals in one value state; with a TTL, one event-time timer at {@code last_seen + ttl}
 * that prunes the key and emits its final totals.
 */
final class GlobalStatsProcessor extends StatefulProcessor<Row, Row, Row> {
    private final StatsLayout layout;
    private final long ttlMs;
    private transient ValueState<Row> stats;

    GlobalStatsProcessor(StatsLayout layout, Duration ttl) {
        this.layout = layout;
        this.ttlMs = ttl == null ? 0 : ttl.toMillis();
    }

    @Override
    public void init(OutputMode outputMode, TimeMode timeMode) {
        stats = getHandle().getValueState(GlobalStats.STATE_NAME, Encoders.row(layout.stateSchema()), TTLConfig.NONE());
    }

    @Override
    public Iterator<Row> handleInputRows(Row key, Iterator<Row> rows, TimerValues timers) {
        boolean existed = stats.exists();
        Totals totals = existed ? Totals.fromState(layout, stats.get()) : Totals.empty(layout);
        long previousLast = totals.lastSeen();
        while (rows.hasNext()) {
            totals.add(rows.next());
        }
        totals.startIfNew();
        Object keyValue = key.get(0);
        if (ttlMs == 0) {
            stats.update(totals.toState());
            return one(totals.toOutput(keyValue, false));
        }
        long expiry = totals.lastSeen() + ttlMs;
        boolean expired = expiry <= timers.getCurrentWatermarkInMs();
        boolean moved = totals.lastSeen() != previousLast;
        if (existed && (moved || expired)) {
            getHandle().deleteTimer(previousLast + ttlMs);
        }
        if (expired) {
            // already behind the watermark of this batch: final now, no timer, no state
            stats.clear();
            return one(totals.toOutput(keyValue, true));
        }
        if (moved) {
            getHandle().registerTimer(expiry);
        }
        stats.update(totals.toState());
        return one(totals.toOutput(keyValue, false));
    }

    @Override
    public Iterator<Row> handleExpiredTimer(Row key, TimerValues timers, ExpiredTimerInfo info) {
        if (!stats.exists()) {
            return CollectionConverters.asScala(Collections.<Row>emptyIterator());
        }
        Totals totals = Totals.fromState(layout, stats.get());
        stats.clear();
        return one(totals.toOutput(key.get(0), true));
    }

    private static Iterator<Row> one(Row row) {
        return CollectionConverters.asScala(List.of(row).iterator());
    }
}
