package io.streampatterns.aggregate;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** Sum, min, max, mean, sample variance and standard deviation of the non-null values. */
final class StatsAggregate implements Aggregate<Moments> {
    private static final long serialVersionUID = 1L;
    private final String column;
    private final String prefix;

    StatsAggregate(String column, String prefix) {
        this.column = column;
        this.prefix = prefix;
    }

    @Override
    public String input() {
        return column;
    }

    @Override
    public DataType inputType() {
        return DataTypes.DoubleType;
    }

    @Override
    public StructType output() {
        StructType t = new StructType();
        for (String name : new String[] {"sum", "min", "max", "mean", "variance", "stddev"}) {
            t = t.add(prefix + name, DataTypes.DoubleType, true);
        }
        return t;
    }

    @Override
    public Moments zero() {
        return new Moments();
    }

    @Override
    public Moments add(Moments acc, Object value) {
        acc.add((Double) value);
        return acc;
    }

    @Override
    public Moments merge(Moments acc, Moments other) {
        acc.merge(other);
        return acc;
    }

    @Override
    public Object[] result(Moments m) {
        if (m.n == 0) {
            return new Object[6];
        }
        Double variance = m.n < 2 ? null : m.variance();
        Double stddev = variance == null ? null : Math.sqrt(variance);
        return new Object[] {m.sum, m.min, m.max, m.sum / m.n, variance, stddev};
    }

    @Override
    public void write(Moments m, DataOutput out) throws IOException {
        out.writeLong(m.n);
        if (m.n > 0) {
            out.writeDouble(m.sum);
            out.writeDouble(m.min);
            out.writeDouble(m.max);
            out.writeDouble(m.mean);
            out.writeDouble(m.m2);
        }
    }

    @Override
    public Moments read(DataInput in) throws IOException {
        long n = in.readLong();
        if (n == 0) {
            return new Moments();
        }
        return new Moments(n, in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble());
    }
}
