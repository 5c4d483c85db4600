package io.streampatterns.online;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * Online logistic regression with FTRL-Proximal (McMahan et al., "Ad Click Prediction: a View from the Trenches",
 * KDD 2013, Algorithm 1): per-coordinate learning rates {@code alpha / (beta + sqrt(n_i))}, L1 and L2 regularisation.
 *
 * <p>State: per coordinate {@code z_i} and {@code n_i} (sum of squared gradients) over a hashed feature space of
 * {@code dim} coordinates. Weights are derived lazily from them; {@link #weights()} gives the dense snapshot used for
 * scoring elsewhere. Mutable, single-threaded: it lives in the driver and is updated in one place per micro-batch.</p>
 */
public final class Ftrl {
    private static final double MAX_MARGIN = 35;

    private final FtrlParams params;
    private final double[] z;
    private final double[] n;
    private long updates;

    private Ftrl(FtrlParams params, double[] z, double[] n, long updates) {
        this.params = params;
        this.z = z;
        this.n = n;
        this.updates = updates;
    }

    /** A fresh model (all weights 0: predicts 0.5). */
    public static Ftrl create(FtrlParams params) {
        return new Ftrl(params, new double[params.dim()], new double[params.dim()], 0);
    }

    public FtrlParams params() {
        return params;
    }

    /** Number of training examples seen. */
    public long updates() {
        return updates;
    }

    /** The weight of coordinate {@code i} (0 while |z_i| <= L1: the L1 penalty keeps the model sparse). */
    public double weight(int i) {
        double zi = z[i];
        if (Math.abs(zi) <= params.l1()) {
            return 0;
        }
        return -(zi - Math.signum(zi) * params.l1()) / ((params.beta() + Math.sqrt(n[i])) / params.alpha() + params.l2());
    }

    /** Dense weights, for scoring with {@link #predict(double[], SparseVector)} elsewhere. */
    public double[] weights() {
        double[] w = new double[z.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = weight(i);
        }
        return w;
    }

    /** P(y = 1 | x). */
    public double predict(SparseVector x) {
        double margin = 0;
        for (int k = 0; k < x.size(); k++) {
            margin += weight(x.index(k)) * x.value(k);
        }
        return sigmoid(margin);
    }

    /** P(y = 1 | x) with the dense {@code weights} of a snapshot. */
    public static double predict(double[] weights, SparseVector x) {
        double margin = 0;
        for (int k = 0; k < x.size(); k++) {
            margin += weights[x.index(k)] * x.value(k);
        }
        return sigmoid(margin);
    }

    /** One FTRL-Proximal step on example {@code x} with label {@code y} (0 or 1); returns the prediction made before it. */
    public double update(SparseVector x, int y) {
        double p = predict(x);
        double g = p - y;
        for (int k = 0; k < x.size(); k++) {
            int i = x.index(k);
            double gi = g * x.value(k);
            double sigma = (Math.sqrt(n[i] + gi * gi) - Math.sqrt(n[i])) / params.alpha();
            z[i] += gi - sigma * weight(i);
            n[i] += gi * gi;
        }
        updates++;
        return p;
    }

    static double sigmoid(double margin) {
        double m = Math.max(-MAX_MARGIN, Math.min(MAX_MARGIN, margin));
        return 1 / (1 + Math.exp(-m));
    }

    /** A deep copy. */
    public Ftrl copy() {
        return new Ftrl(params, z.clone(), n.clone(), updates);
    }

    /** Writes the parameters and the non-zero coordinates (sparse: most of a hashed space is never touched). */
    void write(DataOutputStream out) throws IOException {
        params.write(out);
        out.writeLong(updates);
        int nonZero = 0;
        for (int i = 0; i < z.length; i++) {
            if (n[i] != 0 || z[i] != 0) {
                nonZero++;
            }
        }
        out.writeInt(nonZero);
        for (int i = 0; i < z.length; i++) {
            if (n[i] != 0 || z[i] != 0) {
                out.writeInt(i);
                out.writeDouble(z[i]);
                out.writeDouble(n[i]);
            }
        }
    }

    static Ftrl read(DataInputStream in) throws IOException {
        FtrlParams params = FtrlParams.read(in);
        long updates = in.readLong();
        double[] z = new double[params.dim()];
        double[] n = new double[params.dim()];
        int nonZero = in.readInt();
        for (int k = 0; k < nonZero; k++) {
            int i = in.readInt();
            z[i] = in.readDouble();
            n[i] = in.readDouble();
        }
        return new Ftrl(params, z, n, updates);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ftrl f && params.equals(f.params) && updates == f.updates
                && Arrays.equals(z, f.z) && Arrays.equals(n, f.n);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(z) * 31 + Long.hashCode(updates);
    }
}
