package io.streampatterns.aggregate;

import org.apache.datasketches.hll.Union;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** Approximate distinct count with a DataSketches HLL union (lgK 12). */
final class DistinctAggregate implements Aggregate<Union> {
    private static final long serialVersionUID = 1L;
    static final int LG_K = 12;
    private final String column;
    private final String prefix;

    DistinctAggregate(String column, String prefix) {
        this.column = column;
        this.prefix = prefix;
    }

    @Override
    public String input() {
        return column;
    }

    @Override
    public StructType output() {
        return new StructType().add(prefix + "distinct", DataTypes.LongType, false);
    }

    @Override
    public Union zero() {
        return new Union(LG_K);
    }

    @Override
    public Union add(Union acc, Object value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            acc.update(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            acc.update(((Number) value).doubleValue());
        } else {
            acc.update(value.toString());
        }
        return acc;
    }

    @Override
    public Union merge(Union acc, Union other) {
        if (!other.isEmpty()) {
            acc.update(other.getResult());
        }
        return acc;
    }

    @Override
    public Object[] result(Union acc) {
        return new Object[] {Math.round(acc.getEstimate())};
    }

    @Override
    public void write(Union acc, DataOutput out) throws IOException {
        byte[] bytes = acc.toCompactByteArray();
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    @Override
    public Union read(DataInput in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return Union.heapify(bytes);
    }
}
