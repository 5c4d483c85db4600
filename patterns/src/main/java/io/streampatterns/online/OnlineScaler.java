package io.streampatterns.online;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.Arrays;

/**
 * Standardises numeric features with running means and variances (Welford's algorithm), learnt from the training
 * examples: {@code (v - mean) / stddev}, clipped to +-{@value #CLIP} so that one extreme value cannot dominate a step.
 * A value that is missing (NaN: null or not a number in the input) scales to 0, the mean, and is flagged separately
 * by {@link FeatureEncoder}.
 */
public final class OnlineScaler implements Serializable {
    private static final long serialVersionUID = 1L;
    static final double CLIP = 5;
    private final long[] count;
    private final double[] mean;
    private final double[] m2;

    private OnlineScaler(long[] count, double[] mean, double[] m2) {
        this.count = count;
        this.mean = mean;
        this.m2 = m2;
    }

    public static OnlineScaler create(int features) {
        return new OnlineScaler(new long[features], new double[features], new double[features]);
    }

    public int size() {
        return count.length;
    }

    /** Learns from one example's numeric values (NaN values are skipped). */
    public void update(double[] values) {
        for (int i = 0; i < count.length; i++) {
            double v = values[i];
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                continue;
            }
            count[i]++;
            double d = v - mean[i];
            mean[i] += d / count[i];
            m2[i] += d * (v - mean[i]);
        }
    }

    /** The standardised value of feature {@code i}; 0 for a missing value. */
    public double scale(int i, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return 0;
        }
        double sd = count[i] > 1 ? Math.sqrt(m2[i] / (count[i] - 1)) : 0;
        double s = sd > 0 ? (v - mean[i]) / sd : 0;
        return Math.max(-CLIP, Math.min(CLIP, s));
    }

    public OnlineScaler copy() {
        return new OnlineScaler(count.clone(), mean.clone(), m2.clone());
    }

    void write(DataOutputStream out) throws IOException {
        out.writeInt(count.length);
        for (int i = 0; i < count.length; i++) {
            out.writeLong(count[i]);
            out.writeDouble(mean[i]);
            out.writeDouble(m2[i]);
        }
    }

    static OnlineScaler read(DataInputStream in) throws IOException {
        int n = in.readInt();
        OnlineScaler s = create(n);
        for (int i = 0; i < n; i++) {
            s.count[i] = in.readLong();
            s.mean[i] = in.readDouble();
            s.m2[i] = in.readDouble();
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OnlineScaler s && Arrays.equals(count, s.count) && Arrays.equals(mean, s.mean)
                && Arrays.equals(m2, s.m2);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(mean);
    }
}
