package io.streampatterns.online;

import io.streampatterns.core.ConfigException;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;

/**
 * Everything that shapes an {@link OnlineLearner}: the feature layout, the champion's and the challenger's FTRL
 * parameters, the Half-Space Trees, the drift detectors, the evaluation window (labelled examples per window), the
 * alert threshold and the seed. Immutable; start from {@link #defaults(int, int)} and change one value at a time.
 */
public record LearnerOptions(int numeric, int categorical, FtrlParams champion, FtrlParams challenger,
                             int hstTrees, int hstHeight, int hstWindow, double adwinDelta, double phDelta,
                             double phLambda, long phMinInstances, int evalWindow, double threshold, long seed)
        implements Serializable {
    public static final int DEFAULT_DIM = 1 << 15;

    public LearnerOptions {
        ConfigException.check(numeric >= 0 && categorical >= 0 && numeric + categorical > 0, "at least one feature is needed");
        ConfigException.check(champion.dim() == challenger.dim(), "champion and challenger need the same feature space");
        ConfigException.check(evalWindow >= 10, "the evaluation window must hold at least 10 labels, got " + evalWindow);
        ConfigException.check(threshold > 0 && threshold < 1, "--threshold must be in (0, 1), got " + threshold);
    }

    /**
     * Champion alpha 0.05, challenger alpha 0.2 (learns faster, reset at drift), 2^15 hashed coordinates, 10 trees of
     * height 8 over windows of 250, ADWIN delta 0.002, Page-Hinkley delta 0.005 lambda 50 after 30 values,
     * evaluation windows of 5,000 labels, threshold 0.5, seed 1.
     */
    public static LearnerOptions defaults(int numeric, int categorical) {
        FtrlParams p = FtrlParams.defaults(DEFAULT_DIM);
        return new LearnerOptions(numeric, categorical, p, p.withAlpha(0.2), 10, 8, 250, 0.002, 0.005, 50, 30,
                5_000, 0.5, 1);
    }

    public LearnerOptions withEvalWindow(int labels) {
        return new LearnerOptions(numeric, categorical, champion, challenger, hstTrees, hstHeight, hstWindow, adwinDelta,
                phDelta, phLambda, phMinInstances, labels, threshold, seed);
    }

    public LearnerOptions withThreshold(double t) {
        return new LearnerOptions(numeric, categorical, champion, challenger, hstTrees, hstHeight, hstWindow, adwinDelta,
                phDelta, phLambda, phMinInstances, evalWindow, t, seed);
    }

    public LearnerOptions withModels(FtrlParams championParams, FtrlParams challengerParams) {
        return new LearnerOptions(numeric, categorical, championParams, challengerParams, hstTrees, hstHeight, hstWindow,
                adwinDelta, phDelta, phLambda, phMinInstances, evalWindow, threshold, seed);
    }

    public LearnerOptions withPageHinkley(double delta, double lambda, long minInstances) {
        return new LearnerOptions(numeric, categorical, champion, challenger, hstTrees, hstHeight, hstWindow, adwinDelta,
                delta, lambda, minInstances, evalWindow, threshold, seed);
    }

    public LearnerOptions withAdwinDelta(double delta) {
        return new LearnerOptions(numeric, categorical, champion, challenger, hstTrees, hstHeight, hstWindow, delta,
                phDelta, phLambda, phMinInstances, evalWindow, threshold, seed);
    }

    public LearnerOptions withHalfSpaceTrees(int trees, int height, int window) {
        return new LearnerOptions(numeric, categorical, champion, challenger, trees, height, window, adwinDelta,
                phDelta, phLambda, phMinInstances, evalWindow, threshold, seed);
    }

    public FeatureEncoder encoder() {
        return FeatureEncoder.of(numeric, categorical, champion.dim());
    }

    void write(DataOutputStream out) throws IOException {
        out.writeInt(numeric);
        out.writeInt(categorical);
        champion.write(out);
        challenger.write(out);
        out.writeInt(hstTrees);
        out.writeInt(hstHeight);
        out.writeInt(hstWindow);
        out.writeDouble(adwinDelta);
        out.writeDouble(phDelta);
        out.writeDouble(phLambda);
        out.writeLong(phMinInstances);
        out.writeInt(evalWindow);
        out.writeDouble(threshold);
        out.writeLong(seed);
    }

    static LearnerOptions read(DataInputStream in) throws IOException {
        return new LearnerOptions(in.readInt(), in.readInt(), FtrlParams.read(in), FtrlParams.read(in), in.readInt(),
                in.readInt(), in.readInt(), in.readDouble(), in.readDouble(), in.readDouble(), in.readLong(), in.readInt(),
                in.readDouble(), in.readLong());
    }
}
