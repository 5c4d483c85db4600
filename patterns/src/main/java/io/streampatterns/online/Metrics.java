package io.streampatterns.online;

import java.util.Arrays;

/**
 * Prequential metrics of one evaluation window: scores given before the labels were known, against those labels.
 * AUC is the Mann-Whitney statistic with ties counted half (NaN when the window has only one class); log loss clips
 * probabilities to [1e-15, 1 - 1e-15]; precision and recall are at the alert threshold (NaN when undefined).
 */
public record Metrics(long count, long positives, double auc, double logLoss, double precision, double recall) {

    public static Metrics of(double[] scores, int[] labels, int size, double threshold) {
        long positives = 0;
        double logLoss = 0;
        long tp = 0;
        long alerts = 0;
        for (int k = 0; k < size; k++) {
            double p = Math.max(1e-15, Math.min(1 - 1e-15, scores[k]));
            positives += labels[k];
            logLoss -= labels[k] == 1 ? Math.log(p) : Math.log(1 - p);
            if (scores[k] >= threshold) {
                alerts++;
                tp += labels[k];
            }
        }
        return new Metrics(size, positives, auc(scores, labels, size, positives), size == 0 ? Double.NaN : logLoss / size,
                alerts == 0 ? Double.NaN : (double) tp / alerts, positives == 0 ? Double.NaN : (double) tp / positives);
    }

    /** Area under the ROC curve: the probability that a random positive scores above a random negative. */
    static double auc(double[] scores, int[] labels, int size, long positives) {
        long negatives = size - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        Integer[] order = new Integer[size];
        for (int k = 0; k < size; k++) {
            order[k] = k;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double rankSumPositives = 0;
        int k = 0;
        while (k < size) {
            int end = k;
            while (end + 1 < size && scores[order[end + 1]] == scores[order[k]]) {
                end++;
            }
            double rank = (k + end) / 2.0 + 1;   // average rank of a run of ties
            for (int j = k; j <= end; j++) {
                if (labels[order[j]] == 1) {
                    rankSumPositives += rank;
                }
            }
            k = end + 1;
        }
        return (rankSumPositives - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }
}
