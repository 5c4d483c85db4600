package io.streampatterns.online;

import io.streampatterns.core.ConfigException;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Hyper-parameters of {@link Ftrl}: learning rate {@code alpha}, {@code beta} (smooths the first steps), L1, L2, and
 * the size of the hashed feature space.
 */
public record FtrlParams(double alpha, double beta, double l1, double l2, int dim) {
    public FtrlParams {
        ConfigException.check(alpha > 0, "FTRL alpha must be > 0, got " + alpha);
        ConfigException.check(beta >= 0 && l1 >= 0 && l2 >= 0, "FTRL beta, l1, l2 must be >= 0");
        ConfigException.check(dim > 0, "FTRL dimension must be > 0, got " + dim);
    }

    /** alpha 0.05, beta 1, L1 0.5, L2 1 over {@code dim} coordinates. */
    public static FtrlParams defaults(int dim) {
        return new FtrlParams(0.05, 1, 0.5, 1, dim);
    }

    public FtrlParams withAlpha(double a) {
        return new FtrlParams(a, beta, l1, l2, dim);
    }

    void write(DataOutputStream out) throws IOException {
        out.writeDouble(alpha);
        out.writeDouble(beta);
        out.writeDouble(l1);
        out.writeDouble(l2);
        out.writeInt(dim);
    }

    static FtrlParams read(DataInputStream in) throws IOException {
        return new FtrlParams(in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(), in.readInt());
    }
}
