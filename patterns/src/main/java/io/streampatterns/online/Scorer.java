package io.streampatterns.online;

import java.io.Serializable;

/**
 * An immutable snapshot of an {@link OnlineLearner} for scoring on the executors (broadcast once per micro-batch):
 * dense champion and challenger weights, the scaler and the Half-Space Trees as they were at the snapshot.
 */
public final class Scorer implements Serializable {
    private static final long serialVersionUID = 1L;
    private final long version;
    private final FeatureEncoder encoder;
    private final OnlineScaler scaler;
    private final double[] champion;
    private final double[] challenger;
    private final HalfSpaceTrees trees;
    private final double threshold;

    Scorer(long version, FeatureEncoder encoder, OnlineScaler scaler, double[] champion, double[] challenger,
           HalfSpaceTrees trees, double threshold) {
        this.version = version;
        this.encoder = encoder;
        this.scaler = scaler;
        this.champion = champion;
        this.challenger = challenger;
        this.trees = trees;
        this.threshold = threshold;
    }

    public long version() {
        return version;
    }

    public double threshold() {
        return threshold;
    }

    /** {champion probability, challenger probability, anomaly score} of one event's raw features. */
    public double[] score(double[] numeric, String[] strings) {
        SparseVector x = encoder.encode(scaler, numeric, strings);
        double anomaly = encoder.numeric() == 0 ? 0 : trees.anomaly(encoder.unitCube(scaler, numeric));
        return new double[] {Ftrl.predict(champion, x), Ftrl.predict(challenger, x), anomaly};
    }
}
