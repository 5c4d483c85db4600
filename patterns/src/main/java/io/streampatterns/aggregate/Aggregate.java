package io.streampatterns.aggregate;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;

/**
 * A mergeable aggregate that the stateful steps compute incrementally: the pane windows
 * ({@code windows.PaneWindowAggregation}) once per pane, merged into windows; the sessionizer
 * ({@code sessions.Sessionizer}) per session, merged when sessions merge. Implement it to add your own; the
 * built-ins are in {@link Aggregates}.
 *
 * <p>Contract: {@link #zero()} is the identity of {@link #merge}; merging is associative and commutative (partial
 * results arrive in any order); {@link #add} and {@link #merge} may update their first argument in place
 * and return it, but never modify the second; {@link #write}/{@link #read} round-trip an accumulator exactly
 * (accumulators live in the state store between micro-batches). Instances are serialized to executors.</p>
 *
 * <pre>{@code
 * // the largest value seen, as a user-defined aggregate
 * final class MaxBytes implements Aggregate<double[]> {
 *     public String input() { return "bytes"; }
 *     public DataType inputType() { return DataTypes.DoubleType; }
 *     public StructType output() { return new StructType().add("max_bytes", DataTypes.DoubleType); }
 *     public double[] zero() { return new double[] {Double.NEGATIVE_INFINITY}; }
 *     public double[] add(double[] acc, Object v) { acc[0] = Math.max(acc[0], (Double) v); return acc; }
 *     public double[] merge(double[] acc, double[] o) { acc[0] = Math.max(acc[0], o[0]); return acc; }
 *     public Object[] result(double[] acc) { return new Object[] {acc[0] == Double.NEGATIVE_INFINITY ? null : acc[0]}; }
 *     public void write(double[] acc, DataOutput out) throws IOException { out.writeDouble(acc[0]); }
 *     public double[] read(DataInput in) throws IOException { return new double[] {in.readDouble()}; }
 * }
 * }</pre>
 *
 * @param <A> the accumulator type
 */
public interface Aggregate<A> extends Serializable {

    /**
     * The input column, or {@code null} for an aggregate over the events themselves (like {@code count(*)}):
     * {@link #add} then gets {@code null} for every event. Otherwise null values are skipped, as SQL does, unless
     * {@link #skipsNulls()} says otherwise.
     */
    String input();

    /**
     * The type the input column is cast to before {@link #add} (a numeric type requires a numeric column), or
     * {@code null} to take the column as it is.
     */
    default DataType inputType() {
        return null;
    }

    /** The columns this aggregate adds to each output row, in the order of {@link #result}. */
    StructType output();

    /** A new, empty accumulator. */
    A zero();

    /** Adds one input value (never null unless {@link #input()} is null or {@link #skipsNulls()} is false). */
    A add(A acc, Object value);

    /**
     * Adds the input value of an event at {@code eventTimeMs} (epoch milliseconds): what the steps call. The default
     * ignores the time; order-dependent aggregates (first and last value) override it.
     */
    default A add(A acc, Object value, long eventTimeMs) {
        return add(acc, value);
    }

    /** Whether null input values are skipped before {@link #add} (true, as SQL aggregates do). */
    default boolean skipsNulls() {
        return true;
    }

    /** Merges {@code other} into {@code acc}. */
    A merge(A acc, A other);

    /** The output values, one per field of {@link #output()}; must not modify {@code acc}. */
    Object[] result(A acc);

    void write(A acc, DataOutput out) throws IOException;

    A read(DataInput in) throws IOException;
}
