package io.streampatterns.aggregate;

import io.streampatterns.core.ConfigException;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigDecimal;

/** Approximate quantiles with a DataSketches KLL doubles sketch (k 200). */
final class QuantilesAggregate implements Aggregate<KllDoublesSketch> {
    private static final long serialVersionUID = 1L;
    static final int K = 200;
    private final String column;
    private final String prefix;
    private final double[] ranks;

    QuantilesAggregate(String column, String prefix, double[] ranks) {
        ConfigException.check(ranks != null && ranks.length > 0, "quantiles of " + column + ": at least one rank is required");
        for (double r : ranks) {
            ConfigException.check(r >= 0 && r <= 1, "quantiles of " + column + ": rank " + r + " is not in [0, 1]");
        }
        this.column = column;
        this.prefix = prefix;
        this.ranks = ranks.clone();
    }

    /** {@code p50} for 0.5, {@code p99_9} for 0.999. */
    static String name(double rank) {
        return "p" + new BigDecimal(Double.toString(rank)).movePointRight(2).stripTrailingZeros().toPlainString().replace('.', '_');
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
        for (double r : ranks) {
            t = t.add(prefix + name(r), DataTypes.DoubleType, true);
        }
        return t;
    }

    @Override
    public KllDoublesSketch zero() {
        return KllDoublesSketch.newHeapInstance(K);
    }

    @Override
    public KllDoublesSketch add(KllDoublesSketch acc, Object value) {
        acc.update((Double) value);
        return acc;
    }

    @Override
    public KllDoublesSketch merge(KllDoublesSketch acc, KllDoublesSketch other) {
        if (!other.isEmpty()) {
            acc.merge(other);
        }
        return acc;
    }

    @Override
    public Object[] result(KllDoublesSketch acc) {
        Object[] out = new Object[ranks.length];
        if (!acc.isEmpty()) {
            double[] q = acc.getQuantiles(ranks, QuantileSearchCriteria.INCLUSIVE);
            for (int i = 0; i < q.length; i++) {
                out[i] = q[i];
            }
        }
        return out;
    }

    @Override
    public void write(KllDoublesSketch acc, DataOutput out) throws IOException {
        byte[] bytes = acc.toByteArray();
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    @Override
    public KllDoublesSketch read(DataInput in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return KllDoublesSketch.heapify(Memory.wrap(bytes));
    }
}
