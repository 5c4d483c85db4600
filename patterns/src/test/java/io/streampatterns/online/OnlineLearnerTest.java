package io.streampatterns.online;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OnlineLearnerTest {
    private static final LearnerOptions OPTIONS = LearnerOptions.defaults(2, 1).withEvalWindow(1_000)
            .withHalfSpaceTrees(5, 6, 100).withThreshold(0.5);

    /** Two numeric features and one string; concept A: fraud when x1 is high, concept B: when x1 is low. */
    private static List<Example> batch(SplittableRandom r, int n, boolean conceptB, Scorer scorer, int[] ids) {
        List<Example> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            double x1 = r.nextGaussian();
            double x2 = r.nextGaussian();
            String s = "m" + r.nextInt(5);
            double margin = (conceptB ? -3 : 3) * x1 - 3;
            int y = r.nextDouble() < 1 / (1 + Math.exp(-margin)) ? 1 : 0;
            double[] num = {x1, x2};
            String[] str = {s};
            double[] sc = scorer.score(num, str);
            out.add(new Example("e" + ids[0]++, ids[0] * 1000L, num, str, sc[0], sc[1], y));
        }
        return out;
    }

    @Test
    void evaluatesWithTheScoresGivenAtScoringTimeBeforeLearning() {
        OnlineLearner l = OnlineLearner.create(LearnerOptions.defaults(1, 0).withEvalWindow(10));
        List<Example> ex = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
            // the untrained model would score 0.5 everywhere (AUC 0.5): the window must use these scores instead
            ex.add(new Example("e" + k, k, new double[] {k}, new String[0], k < 8 ? 0.1 : 0.9, 0.5, k < 8 ? 0 : 1));
        }
        OnlineLearner.Outcome o = l.train(ex);
        assertEquals(1, o.evaluations().size());
        Metrics m = o.evaluations().get(0).champion();
        assertEquals(1.0, m.auc());
        assertEquals(0.5, o.evaluations().get(0).challenger().auc());
        assertEquals(10, m.count());
        assertEquals(2, m.positives());
        assertEquals(10, l.championUpdates());
    }

    @Test
    void versionGoesUpByOnePerBatchWithExamplesOnly() {
        OnlineLearner l = OnlineLearner.create(OPTIONS);
        int[] ids = {0};
        SplittableRandom r = new SplittableRandom(1);
        l.train(batch(r, 50, false, l.scorer(), ids));
        assertEquals(1, l.version());
        l.train(List.of());
        assertEquals(1, l.version());
        l.train(batch(r, 1, false, l.scorer(), ids));
        assertEquals(2, l.version());
        assertEquals(1, l.scorer().version() - 1);
    }

    @Test
    void stateRoundTripsBitForBitAndScoresAndTrainsIdentically() {
        OnlineLearner l = OnlineLearner.create(OPTIONS);
        int[] ids = {0};
        SplittableRandom r = new SplittableRandom(2);
        for (int b = 0; b < 25; b++) {
            l.train(batch(r, 100, false, l.scorer(), ids));
        }
        byte[] bytes = l.toBytes();
        OnlineLearner back = OnlineLearner.fromBytes(bytes);
        assertArrayEquals(bytes, back.toBytes());
        double[] num = {1.5, Double.NaN};
        String[] str = {null};
        assertArrayEquals(l.scorer().score(num, str), back.scorer().score(num, str));
        List<Example> next = batch(new SplittableRandom(3), 500, true, l.scorer(), ids);
        assertEquals(l.train(next), back.train(next));
        assertArrayEquals(l.toBytes(), back.toBytes());
    }

    @Test
    void driftResetsTheChallengerWhichIsThenPromotedAndRecovers() {
        OnlineLearner l = OnlineLearner.create(OPTIONS);
        int[] ids = {0};
        SplittableRandom r = new SplittableRandom(4);
        List<OnlineLearner.Evaluation> evals = new ArrayList<>();
        List<OnlineLearner.Drift> drifts = new ArrayList<>();
        for (int b = 0; b < 400; b++) {
            OnlineLearner.Outcome o = l.train(batch(r, 100, b >= 100, l.scorer(), ids));
            evals.addAll(o.evaluations());
            drifts.addAll(o.drifts());
        }
        assertTrue(drifts.stream().noneMatch(d -> d.labelsSoFar() <= 10_000), "no drift before the change: " + drifts);
        OnlineLearner.Drift first = drifts.get(0);
        assertTrue(first.labelsSoFar() < 10_000 + 2 * OPTIONS.evalWindow(),
                "detected within two evaluation windows of the change: " + first);
        assertTrue(first.action().startsWith("challenger reset"));
        assertTrue(evals.stream().anyMatch(OnlineLearner.Evaluation::promoted), "the reset challenger is promoted");
        OnlineLearner.Evaluation before = evals.get(9);
        OnlineLearner.Evaluation last = evals.get(evals.size() - 1);
        assertTrue(before.champion().auc() > 0.85, "AUC before the drift " + before.champion().auc());
        assertTrue(last.champion().auc() > 0.85, "AUC recovered " + last.champion().auc());
        assertEquals(40, evals.size());
    }

    @Test
    void missingNumbersAreImputedWithTheMeanAndFlagged() {
        OnlineScaler s = OnlineScaler.create(2);
        s.update(new double[] {1, 10});
        s.update(new double[] {3, 20});
        SparseVector v = FeatureEncoder.of(2, 1, 64).encode(s, new double[] {Double.NaN, 20}, new String[] {null});
        assertEquals(6, v.size());
        assertEquals(1, v.value(0));           // bias
        assertEquals(0, v.value(1));           // missing -> the mean, standardised 0
        assertEquals(1, v.value(2));           // ... and flagged
        assertEquals(20 - 15, v.value(3) * Math.sqrt(50), 1e-12);
        assertEquals(0, v.value(4));
        assertTrue(v.index(5) >= 5 && v.index(5) < 64);
        assertFalse(Arrays.equals(new int[] {v.index(5)},
                new int[] {FeatureEncoder.of(2, 1, 64).encode(s, new double[] {0, 0}, new String[] {"x"}).index(5)}));
    }
}
