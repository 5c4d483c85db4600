package io.streampatterns.online;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsTest {
    @Test
    void aucCountsCorrectlyOrderedPairsAndTiesHalf() {
        assertEquals(1.0, Metrics.of(new double[] {0.1, 0.2, 0.8, 0.9}, new int[] {0, 0, 1, 1}, 4, 0.5).auc());
        assertEquals(0.0, Metrics.of(new double[] {0.9, 0.8, 0.2, 0.1}, new int[] {0, 0, 1, 1}, 4, 0.5).auc());
        assertEquals(0.5, Metrics.of(new double[] {0.5, 0.5, 0.5, 0.5}, new int[] {0, 1, 0, 1}, 4, 0.5).auc());
        // pairs (pos, neg): (0.6,0.2) (0.6,0.7) (0.6,0.4) (0.4,0.2) (0.4,0.7) (0.4,0.4 tie) -> 3 + 0.5 of 6
        assertEquals(3.5 / 6, Metrics.of(new double[] {0.6, 0.4, 0.2, 0.7, 0.4}, new int[] {1, 1, 0, 0, 0}, 5, 0.5).auc(), 1e-12);
        assertTrue(Double.isNaN(Metrics.of(new double[] {0.1, 0.2}, new int[] {0, 0}, 2, 0.5).auc()));
    }

    @Test
    void logLossPrecisionAndRecallAtTheThreshold() {
        Metrics m = Metrics.of(new double[] {0.9, 0.6, 0.3, 0.2}, new int[] {1, 0, 1, 0}, 4, 0.5);
        assertEquals(-(Math.log(0.9) + Math.log(0.4) + Math.log(0.3) + Math.log(0.8)) / 4, m.logLoss(), 1e-12);
        assertEquals(0.5, m.precision());   // alerts: 0.9 (fraud), 0.6 (not)
        assertEquals(0.5, m.recall());      // frauds: 0.9 alerted, 0.3 missed
        assertEquals(4, m.count());
        assertEquals(2, m.positives());
    }

    @Test
    void onlyTheFirstSizeEntriesCount() {
        assertEquals(1.0, Metrics.of(new double[] {0.1, 0.9, 0.0}, new int[] {0, 1, 1}, 2, 0.5).auc());
    }
}
