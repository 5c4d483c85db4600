package io.streampatterns.quarantine;

import org.apache.spark.util.AccumulatorV2;

import java.io.Serializable;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a {@link QuarantineTap} captured in one micro-batch: the quarantined records (source → raw text and reason, so
 * that a record seen twice, by a retried task, is kept once) up to a size limit, and past it only, per origin (a file,
 * a Kafka topic-partition), the range of positions (line numbers, offsets) of the records it could not keep, to be
 * read again. Also the batch's time, for the checks that depend on it.
 *
 * <p>A Spark accumulator: tasks add to their copy, the driver merges the copies of successful tasks.</p>
 */
public final class CapturedRecords extends AccumulatorV2<CapturedRecords.Record, CapturedRecords.Snapshot> {
    private static final long serialVersionUID = 1L;

    private final long maxBytes;
    private final Map<String, String[]> records = new LinkedHashMap<>();
    private final Map<String, long[]> overflow = new HashMap<>();
    private long bytes;
    private long batchMicros = Long.MIN_VALUE;

    CapturedRecords(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** One quarantined record as it passes the tap. */
    public static final class Record implements Serializable {
        private static final long serialVersionUID = 1L;
        final String raw;
        final String reason;
        final String source;
        final long batchMicros;

        Record(String raw, String reason, String source, long batchMicros) {
            this.raw = raw;
            this.reason = reason;
            this.source = source;
            this.batchMicros = batchMicros;
        }
    }

    @Override
    public boolean isZero() {
        return records.isEmpty() && overflow.isEmpty();
    }

    @Override
    public CapturedRecords copy() {
        CapturedRecords c = new CapturedRecords(maxBytes);
        c.merge(this);
        return c;
    }

    @Override
    public void reset() {
        records.clear();
        overflow.clear();
        bytes = 0;
        batchMicros = Long.MIN_VALUE;
    }

    @Override
    public void add(Record r) {
        batchMicros = Math.max(batchMicros, r.batchMicros);
        keep(r.source, r.raw, r.reason);
    }

    private void keep(String source, String raw, String reason) {
        if (records.containsKey(source)) {
            return;
        }
        long size = 64L + 2L * (source.length() + (raw == null ? 0 : raw.length()) + reason.length());
        if (bytes + size <= maxBytes && overflow.isEmpty()) {
            records.put(source, new String[] {raw, reason});
            bytes += size;
        } else {
            Origin o = Origin.of(source);
            overflow.merge(o.name, new long[] {o.position, o.position},
                    (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
        }
    }

    @Override
    public void merge(AccumulatorV2<Record, Snapshot> other) {
        CapturedRecords o = (CapturedRecords) other;
        batchMicros = Math.max(batchMicros, o.batchMicros);
        o.records.forEach((source, v) -> keep(source, v[0], v[1]));
        o.overflow.forEach((name, range) -> overflow.merge(name, range.clone(),
                (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])}));
    }

    @Override
    public Snapshot value() {
        return new Snapshot(new LinkedHashMap<>(records), new HashMap<>(overflow), batchMicros);
    }

    /** What was captured, at one moment. */
    public static final class Snapshot implements Serializable {
        private static final long serialVersionUID = 1L;
        private final Map<String, String[]> records;
        private final Map<String, long[]> overflow;
        private final long batchMicros;

        Snapshot(Map<String, String[]> records, Map<String, long[]> overflow, long batchMicros) {
            this.records = records;
            this.overflow = overflow;
            this.batchMicros = batchMicros;
        }

        /** Captured records: source → {raw, reason}, in arrival order. */
        public Map<String, String[]> records() {
            return records;
        }

        /** Origins whose records were not all kept → {first, last} position of the records not kept. */
        public Map<String, long[]> overflow() {
            return overflow;
        }

        /** The micro-batch's time (microseconds since the epoch), or {@code Long.MIN_VALUE} when nothing was captured. */
        public long batchMicros() {
            return batchMicros;
        }

        @Override
        public String toString() {
            return records.size() + " records, " + overflow.size() + " origins read again";
        }
    }

    /** Where a record came from: a file and line ({@code path:line}) or a Kafka partition and offset ({@code topic/p@o}). */
    public static final class Origin {
        public final String name;
        public final long position;

        private Origin(String name, long position) {
            this.name = name;
            this.position = position;
        }

        /** Parses {@code path:line} or {@code topic/partition@offset}. */
        public static Origin of(String source) {
            int at = source.lastIndexOf('@');
            int colon = source.lastIndexOf(':');
            int cut = at > colon ? at : colon;
            try {
                return new Origin(source.substring(0, cut), Long.parseLong(source.substring(cut + 1)));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("not a record source: " + source, e);
            }
        }
    }
}
