package io.streampatterns.aggregate;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The value (as text) of the earliest or of the latest event, optionally only among events where it is not null.
 * Ties of one millisecond are broken by the value, never by arrival order: a non-null value wins, then the smallest
 * (first) or the largest (last), so that results do not depend on the order of micro-batches.
 */
final class FirstAggregate implements Aggregate<FirstAggregate.Pick> {
    private static final long serialVersionUID = 1L;
    private final String column;
    private final String name;
    /** -1: the earliest event wins; 1: the latest. */
    private final int direction;
    private final boolean skipNulls;

    FirstAggregate(String column, String name, boolean last, boolean skipNulls) {
        this.column = column;
        this.name = name;
        this.direction = last ? 1 : -1;
        this.skipNulls = skipNulls;
    }

    /** The value chosen so far and the time of its event; {@code set} is false before the first event. */
    static final class Pick {
        boolean set;
        long time;
        String value;
    }

    @Override
    public String input() {
        return column;
    }

    @Override
    public DataType inputType() {
        return DataTypes.StringType;
    }

    @Override
    public boolean skipsNulls() {
        return skipNulls;
    }

    @Override
    public StructType output() {
        return new StructType().add(name, DataTypes.StringType, true);
    }

    @Override
    public Pick zero() {
        return new Pick();
    }

    /** Not used: the choice needs the event time ({@link #add(Pick, Object, long)}). */
    @Override
    public Pick add(Pick acc, Object value) {
        throw new UnsupportedOperationException(name + ": a first/last value needs the event time");
    }

    @Override
    public Pick add(Pick acc, Object value, long eventTimeMs) {
        offer(acc, eventTimeMs, (String) value);
        return acc;
    }

    @Override
    public Pick merge(Pick acc, Pick other) {
        if (other.set) {
            offer(acc, other.time, other.value);
        }
        return acc;
    }

    private void offer(Pick acc, long time, String value) {
        long order = Long.signum(Long.compare(time, acc.time));
        if (!acc.set || order == direction || (order == 0 && wins(value, acc.value))) {
            acc.set = true;
            acc.time = time;
            acc.value = value;
        }
    }

    /** Whether {@code candidate} beats {@code current} in a tie: non-null first, then smaller (first) or larger (last). */
    private boolean wins(String candidate, String current) {
        if (candidate == null) {
            return false;
        }
        return current == null || Integer.signum(candidate.compareTo(current)) == direction;
    }

    @Override
    public Object[] result(Pick acc) {
        return new Object[] {acc.value};
    }

    @Override
    public void write(Pick acc, DataOutput out) throws IOException {
        out.writeBoolean(acc.set);
        out.writeLong(acc.time);
        byte[] text = acc.value == null ? null : acc.value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(text == null ? -1 : text.length);
        if (text != null) {
            out.write(text);
        }
    }

    @Override
    public Pick read(DataInput in) throws IOException {
        Pick p = new Pick();
        p.set = in.readBoolean();
        p.time = in.readLong();
        int length = in.readInt();
        if (length >= 0) {
            byte[] text = new byte[length];
            in.readFully(text);
            p.value = new String(text, StandardCharsets.UTF_8);
        }
        return p;
    }
}
