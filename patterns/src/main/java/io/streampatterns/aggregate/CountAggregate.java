package io.streampatterns.aggregate;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** Events per window. */
final class CountAggregate implements Aggregate<long[]> {
    private static final long serialVersionUID = 1L;
    private final String name;

    CountAggregate(String name) {
        this.name = name;
    }

    @Override
    public String input() {
        return null;
    }

    @Override
    public StructType output() {
        return new StructType().add(name, DataTypes.LongType, false);
    }

    @Override
    public long[] zero() {
        return new long[1];
    }

    @Override
    public long[] add(long[] acc, Object value) {
        acc[0]++;
        return acc;
    }

    @Override
    public long[] merge(long[] acc, long[] other) {
        acc[0] += other[0];
        return acc;
    }

    @Override
    public Object[] result(long[] acc) {
        return new Object[] {acc[0]};
    }

    @Override
    public void write(long[] acc, DataOutput out) throws IOException {
        out.writeLong(acc[0]);
    }

    @Override
    public long[] read(DataInput in) throws IOException {
        return new long[] {in.readLong()};
    }
}
