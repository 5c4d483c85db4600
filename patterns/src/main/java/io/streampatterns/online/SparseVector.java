package io.streampatterns.online;

import java.io.Serializable;
import java.util.Arrays;

/** A sparse feature vector: coordinates (sorted not required, distinct expected) and their values. Immutable. */
public final class SparseVector implements Serializable {
    private static final long serialVersionUID = 1L;
    private final int[] indices;
    private final double[] values;

    public SparseVector(int[] indices, double[] values) {
        if (indices.length != values.length) {
            throw new IllegalArgumentException("indices and values differ in length");
        }
        this.indices = indices;
        this.values = values;
    }

    public int size() {
        return indices.length;
    }

    public int index(int k) {
        return indices[k];
    }

    public double value(int k) {
        return values[k];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SparseVector v && Arrays.equals(indices, v.indices) && Arrays.equals(values, v.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(indices) * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("{");
        for (int k = 0; k < indices.length; k++) {
            b.append(k == 0 ? "" : ", ").append(indices[k]).append(':').append(values[k]);
        }
        return b.append('}').toString();
    }
}
