package io.streampatterns.online;

import io.streampatterns.core.ConfigException;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/**
 * Turns one example's raw features into the sparse vector the models learn from, in a fixed layout over
 * {@code dim} coordinates:
 * <ul>
 *   <li>0: the bias (always 1);</li>
 *   <li>{@code 1 + 2i}: numeric feature {@code i}, standardised by the {@link OnlineScaler};
 *       {@code 2 + 2i}: 1 when that feature was missing or not a number (imputed with the mean, and flagged);</li>
 *   <li>the rest: string feature {@code j} one-hot by hashing {@code "j=value"} (FNV-1a, stable across JVMs) into
 *       the remaining coordinates; a missing string is the value {@code <null>}.</li>
 * </ul>
 * Also gives the dense [0,1] view of the numeric features that {@link HalfSpaceTrees} take.
 */
public final class FeatureEncoder implements Serializable {
    private static final long serialVersionUID = 1L;
    private final int numeric;
    private final int categorical;
    private final int dim;

    private FeatureEncoder(int numeric, int categorical, int dim) {
        ConfigException.check(dim > 1 + 2 * numeric + categorical,
                "feature space of " + dim + " is too small for " + numeric + " numeric and " + categorical + " string features");
        this.numeric = numeric;
        this.categorical = categorical;
        this.dim = dim;
    }

    public static FeatureEncoder of(int numeric, int categorical, int dim) {
        return new FeatureEncoder(numeric, categorical, dim);
    }

    public int numeric() {
        return numeric;
    }

    public int categorical() {
        return categorical;
    }

    public int dim() {
        return dim;
    }

    /** The sparse vector of {@code values} (NaN = missing) and {@code strings} (null = missing). */
    public SparseVector encode(OnlineScaler scaler, double[] values, String[] strings) {
        int[] idx = new int[1 + 2 * numeric + categorical];
        double[] val = new double[idx.length];
        idx[0] = 0;
        val[0] = 1;
        for (int i = 0; i < numeric; i++) {
            boolean missing = Double.isNaN(values[i]) || Double.isInfinite(values[i]);
            idx[1 + 2 * i] = 1 + 2 * i;
            val[1 + 2 * i] = scaler.scale(i, values[i]);
            idx[2 + 2 * i] = 2 + 2 * i;
            val[2 + 2 * i] = missing ? 1 : 0;
        }
        int base = 1 + 2 * numeric;
        for (int j = 0; j < categorical; j++) {
            idx[base + j] = base + Math.floorMod(fnv1a(j + "=" + (strings[j] == null ? "<null>" : strings[j])), dim - base);
            val[base + j] = 1;
        }
        return new SparseVector(idx, val);
    }

    /** The numeric features in [0, 1] (a logistic squash of the standardised value; missing = 0.5), for anomaly scores. */
    public double[] unitCube(OnlineScaler scaler, double[] values) {
        double[] u = new double[numeric];
        for (int i = 0; i < numeric; i++) {
            u[i] = 1 / (1 + Math.exp(-scaler.scale(i, values[i])));
        }
        return u;
    }

    static int fnv1a(String s) {
        int h = 0x811c9dc5;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x01000193;
        }
        return h;
    }
}
