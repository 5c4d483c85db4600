package io.streampatterns.online;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FtrlTest {
    private static final SparseVector BIAS = new SparseVector(new int[] {0}, new double[] {1});

    @Test
    void firstStepFollowsTheProximalUpdateByHand() {
        Ftrl f = Ftrl.create(new FtrlParams(0.1, 1, 0, 0, 4));
        assertEquals(0.5, f.update(BIAS, 1));
        // g = 0.5 - 1 = -0.5; sigma = (sqrt(0.25) - 0) / 0.1 = 5; z = -0.5 - 5 * 0 = -0.5; n = 0.25
        // w = -z / ((beta + sqrt(n)) / alpha) = 0.5 / 15
        assertEquals(0.5 / 15, f.weight(0), 1e-15);
        assertEquals(1 / (1 + Math.exp(-0.5 / 15)), f.predict(BIAS), 1e-15);
    }

    @Test
    void l1KeepsACoordinateAtZeroUntilItsGradientsOutweighThePenalty() {
        Ftrl f = Ftrl.create(new FtrlParams(0.1, 1, 1.0, 0, 4));
        f.update(BIAS, 1);   // |z| = 0.5 <= l1
        assertEquals(0, f.weight(0));
        f.update(BIAS, 1);   // z = -0.5 - 0.5 - sigma*0 = -1.0: still <= l1
        assertEquals(0, f.weight(0));
        f.update(BIAS, 1);
        assertTrue(f.weight(0) > 0);
    }

    @Test
    void learnsALogisticConceptOnline() {
        SplittableRandom r = new SplittableRandom(3);
        Ftrl f = Ftrl.create(new FtrlParams(0.1, 1, 0, 0.1, 8));
        for (int t = 0; t < 20_000; t++) {
            double x1 = r.nextDouble() * 2 - 1;
            double x2 = r.nextDouble() * 2 - 1;
            int y = r.nextDouble() < 1 / (1 + Math.exp(-(3 * x1 - 2 * x2 - 1))) ? 1 : 0;
            f.update(new SparseVector(new int[] {0, 1, 2}, new double[] {1, x1, x2}), y);
        }
        assertEquals(3, f.weight(1), 0.4);
        assertEquals(-2, f.weight(2), 0.4);
        assertEquals(-1, f.weight(0), 0.4);
    }

    @Test
    void stateRoundTripsExactly() throws Exception {
        Ftrl f = Ftrl.create(new FtrlParams(0.1, 1, 0.2, 0.3, 16));
        SplittableRandom r = new SplittableRandom(5);
        for (int t = 0; t < 500; t++) {
            f.update(new SparseVector(new int[] {0, 1 + r.nextInt(15)}, new double[] {1, r.nextGaussian()}), r.nextInt(2));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        f.write(new DataOutputStream(bytes));
        Ftrl back = Ftrl.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertEquals(f, back);
        assertArrayEquals(f.weights(), back.weights());
        SparseVector x = new SparseVector(new int[] {0, 3}, new double[] {1, 0.7});
        assertEquals(f.update(x, 1), back.update(x, 1));
        assertEquals(f, back);
    }
}
