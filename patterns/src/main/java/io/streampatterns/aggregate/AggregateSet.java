package io.streampatterns.aggregate;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The aggregates of one step handled as one: an accumulator tuple ({@code Object[]}, one slot per aggregate)
 * that is created, fed, merged, serialized and turned into output values together. Public for the steps of other
 * packages (windows, sessions); not meant for users, who give {@link Aggregate}s to a step's options.
 */
public final class AggregateSet implements Serializable {
    private static final long serialVersionUID = 1L;

    /** One projected input: a column and the type it is cast to (null: as is). */
    public static final class Input implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String column;
        private final DataType type;

        Input(String column, DataType type) {
            this.column = column;
            this.type = type;
        }

        public String column() {
            return column;
        }

        /** The type the column is cast to, or null: as it is. */
        public DataType type() {
            return type;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Input && ((Input) o).column.equals(column) && Objects.equals(((Input) o).type, type);
        }

        @Override
        public int hashCode() {
            return Objects.hash(column, type);
        }
    }

    private static final byte[] NONE = new byte[0];
    private final Aggregate<Object>[] aggregates;
    private final List<Input> inputs = new ArrayList<>();
    /** For each aggregate, the index of its input in {@link #inputs}, or -1. */
    private final int[] inputOf;
    private final boolean[] skipsNulls;

    @SuppressWarnings("unchecked")
    public AggregateSet(List<Aggregate<?>> list) {
        this.aggregates = list.toArray(new Aggregate[0]);
        this.inputOf = new int[aggregates.length];
        this.skipsNulls = new boolean[aggregates.length];
        for (int i = 0; i < aggregates.length; i++) {
            Aggregate<Object> a = aggregates[i];
            skipsNulls[i] = a.skipsNulls();
            if (a.input() == null) {
                inputOf[i] = -1;
            } else {
                Input in = new Input(a.input(), a.inputType());
                int at = inputs.indexOf(in);
                if (at < 0) {
                    inputs.add(in);
                    at = inputs.size() - 1;
                }
                inputOf[i] = at;
            }
        }
    }

    /** The distinct inputs the aggregates read, in the order {@link #add} expects them in a row. */
    public List<Input> inputs() {
        return inputs;
    }

    /** The output columns of all aggregates, in order. */
    public List<StructField> outputFields() {
        List<StructField> fields = new ArrayList<>();
        for (Aggregate<Object> a : aggregates) {
            StructType t = a.output();
            fields.addAll(List.of(t.fields()));
        }
        return fields;
    }

    public Object[] zero() {
        Object[] accs = new Object[aggregates.length];
        for (int i = 0; i < accs.length; i++) {
            accs[i] = aggregates[i].zero();
        }
        return accs;
    }

    /** Adds one event at {@code eventTimeMs} whose inputs are at {@code row[offset + inputIndex]}. */
    public void add(Object[] accs, Row row, int offset, long eventTimeMs) {
        for (int i = 0; i < accs.length; i++) {
            if (inputOf[i] < 0) {
                accs[i] = aggregates[i].add(accs[i], null, eventTimeMs);
            } else {
                Object v = row.get(offset + inputOf[i]);
                if (v != null || !skipsNulls[i]) {
                    accs[i] = aggregates[i].add(accs[i], v, eventTimeMs);
                }
            }
        }
    }

    /** Merges {@code other} into {@code accs} (which it returns); {@code other} is left unchanged. */
    public Object[] merge(Object[] accs, Object[] other) {
        for (int i = 0; i < accs.length; i++) {
            accs[i] = aggregates[i].merge(accs[i], other[i]);
        }
        return accs;
    }

    public Object[] copy(Object[] accs) {
        return merge(zero(), accs);
    }

    /** Writes the output values of {@code accs} into {@code out} from index {@code at}. */
    public void result(Object[] accs, Object[] out, int at) {
        int k = at;
        for (int i = 0; i < accs.length; i++) {
            for (Object v : aggregates[i].result(accs[i])) {
                out[k++] = v;
            }
        }
    }

    public void write(Object[] accs, DataOutput out) throws IOException {
        for (int i = 0; i < accs.length; i++) {
            aggregates[i].write(accs[i], out);
        }
    }

    public Object[] read(DataInput in) throws IOException {
        Object[] accs = new Object[aggregates.length];
        for (int i = 0; i < accs.length; i++) {
            accs[i] = aggregates[i].read(in);
        }
        return accs;
    }

    public byte[] toBytes(Object[] accs) {
        if (accs.length == 0) {
            return NONE;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(accs, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public Object[] fromBytes(byte[] bytes) {
        if (aggregates.length == 0) {
            return new Object[0];
        }
        try {
            return read(new DataInputStream(new ByteArrayInputStream(bytes)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
