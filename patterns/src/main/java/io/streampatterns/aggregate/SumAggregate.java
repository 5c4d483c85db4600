package io.streampatterns.aggregate;

import io.streampatterns.core.DecimalSums;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** Sum of the non-null values (null when there is none), like SQL {@code sum}; decimal amounts add exactly ({@link DecimalSums}). */
final class SumAggregate implements Aggregate<double[]> {
    private static final long serialVersionUID = 1L;
    private final String column;
    private final String name;

    SumAggregate(String column, String name) {
        this.column = column;
        this.name = name;
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
        return new StructType().add(name, DataTypes.DoubleType, true);
    }

    /** {sum, number of values}. */
    @Override
    public double[] zero() {
        return new double[2];
    }

    @Override
    public double[] add(double[] acc, Object value) {
        acc[0] = DecimalSums.plus(acc[0], ((Double) value).doubleValue()); // money: 23.65 + 94.58 + 90.24 + 4.03 = 212.5
        acc[1]++;
        return acc;
    }

    @Override
    public double[] merge(double[] acc, double[] other) {
        acc[0] = DecimalSums.plus(acc[0], other[0]);
        acc[1] += other[1];
        return acc;
    }

    @Override
    public Object[] result(double[] acc) {
        return new Object[] {acc[1] == 0 ? null : acc[0]};
    }

    @Override
    public void write(double[] acc, DataOutput out) throws IOException {
        out.writeDouble(acc[0]);
        out.writeDouble(acc[1]);
    }

    @Override
    public double[] read(DataInput in) throws IOException {
        return new double[] {in.readDouble(), in.readDouble()};
    }
}
