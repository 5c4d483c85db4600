package io.streampatterns.joins;

import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.streaming.ExpiredTimerInfo;
import org.apache.spark.sql.streaming.ListState;
import org.apache.spark.sql.streaming.MapState;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StatefulProcessor;
import org.apache.spark.sql.streaming.TTLConfig;
import org.apache.spark.sql.streaming.TimeMode;
import org.apache.spark.sql.streaming.TimerValues;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Per join key: the dimension versions (change time → change) and the facts waiting for the watermark.
 *
 * <p>Input rows are tagged by {@link TemporalJoin} (key, time, is_delete, fact, change): a fact or a change, its time and whether the change
 * is a delete. Every row registers an event-time timer at its own time. A timer fires once the watermark has
 * passed that time; then every waiting fact older than the watermark is emitted with the version valid at its
 * time (latest change ≤ fact time; none, or a delete, gives nulls), and versions that no fact can need any more
 * are dropped: rows at or before the watermark are late and never reach the processor, so of the versions at
 * or before the watermark only the latest is still needed, and not even that one if it is a delete.</p>
 */
final class AsOfJoinProcessor extends StatefulProcessor<String, Row, Row> {
    private static final long serialVersionUID = 1L;

    private final StructType factSchema;
    private final StructType changeSchema;
    private final int factTimeField;
    private final int[] dimFields;
    private transient MapState<Long, Row> versions;
    private transient ListState<Row> waiting;

    /** {@code dimFields}: indexes of the change columns that go to the output, in order. */
    AsOfJoinProcessor(StructType factSchema, int factTimeField, StructType changeSchema, int[] dimFields) {
        this.factSchema = factSchema;
        this.factTimeField = factTimeField;
        this.changeSchema = changeSchema;
        this.dimFields = dimFields.clone();
    }

    @Override
    public void init(OutputMode outputMode, TimeMode timeMode) {
        StructType version = new StructType()
                .add("deleted", DataTypes.BooleanType, false)
                .add("change", changeSchema);
        versions = getHandle().getMapState("versions", Encoders.LONG(), Encoders.row(version), TTLConfig.NONE());
        waiting = getHandle().getListState("waiting", Encoders.row(factSchema), TTLConfig.NONE());
    }

    @Override
    public Iterator<Row> handleInputRows(String key, Iterator<Row> rows, TimerValues timers) {
        while (rows.hasNext()) {
            Row r = rows.next();
            long time = millis(r.get(TemporalJoin.TIME_FIELD));
            Row fact = r.getStruct(TemporalJoin.FACT_FIELD);
            if (fact != null) {
                waiting.appendValue(fact);
            } else {
                versions.updateValue(time, RowFactory.create(r.getBoolean(TemporalJoin.DELETE_FIELD),
                        r.getStruct(TemporalJoin.CHANGE_FIELD)));
            }
            getHandle().registerTimer(time);
        }
        return CollectionConverters.asScala(Collections.<Row>emptyIterator());
    }

    @Override
    public Iterator<Row> handleExpiredTimer(String key, TimerValues timers, ExpiredTimerInfo expired) {
        long watermark = timers.getCurrentWatermarkInMs();
        TreeMap<Long, Row> byTime = new TreeMap<>();
        versions.iterator().foreach(t -> byTime.put((Long) t._1(), t._2()));

        List<Row> out = new ArrayList<>();
        List<Row> stillWaiting = new ArrayList<>();
        CollectionConverters.asJava(waiting.get()).forEachRemaining(fact -> {
            long t = millis(fact.get(factTimeField));
            if (t < watermark) {
                Map.Entry<Long, Row> v = byTime.floorEntry(t);
                out.add(joined(fact, v == null ? null : v.getValue()));
            } else {
                stillWaiting.add(fact);
            }
        });
        if (stillWaiting.isEmpty()) {
            waiting.clear();
        } else if (!out.isEmpty()) {
            waiting.put(stillWaiting.toArray(new Row[0]));
        }
        prune(byTime, watermark);
        return CollectionConverters.asScala(out.iterator());
    }

    private void prune(TreeMap<Long, Row> byTime, long watermark) {
        Map.Entry<Long, Row> validAtWatermark = byTime.floorEntry(watermark);
        if (validAtWatermark == null) {
            return;
        }
        for (Long t : byTime.headMap(validAtWatermark.getKey(), false).keySet()) {
            versions.removeKey(t);
        }
        if (validAtWatermark.getValue().getBoolean(0)) {
            versions.removeKey(validAtWatermark.getKey());
        }
    }

    private Row joined(Row fact, Row version) {
        Object[] values = new Object[fact.length() + dimFields.length];
        for (int i = 0; i < fact.length(); i++) {
            values[i] = fact.get(i);
        }
        if (version != null && !version.getBoolean(0)) {
            Row change = version.getStruct(1);
            for (int i = 0; i < dimFields.length; i++) {
                values[fact.length() + i] = change.get(dimFields[i]);
            }
        }
        return RowFactory.create(values);
    }

    static long millis(Object time) {
        return time instanceof Instant ? ((Instant) time).toEpochMilli() : ((Timestamp) time).getTime();
    }
}
