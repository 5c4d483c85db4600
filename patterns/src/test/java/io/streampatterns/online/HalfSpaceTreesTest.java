package io.streampatterns.online;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HalfSpaceTreesTest {
    private static double[] near(SplittableRandom r, double c) {
        return new double[] {c + 0.05 * r.nextGaussian(), c + 0.05 * r.nextGaussian()};
    }

    @Test
    void scoresZeroUntilTheFirstWindowIsComplete() {
        HalfSpaceTrees h = HalfSpaceTrees.create(10, 6, 50, 2, 1);
        SplittableRandom r = new SplittableRandom(1);
        for (int t = 0; t < 49; t++) {
            h.learn(near(r, 0.4));
        }
        assertEquals(0, h.anomaly(new double[] {0.99, 0.01}));
        h.learn(near(r, 0.4));
        assertTrue(h.anomaly(new double[] {0.99, 0.01}) > 0);
    }

    @Test
    void pointsFarFromTheReferenceMassScoreHigherThanPointsInIt() {
        HalfSpaceTrees h = HalfSpaceTrees.create(25, 8, 250, 2, 3);
        SplittableRandom r = new SplittableRandom(2);
        for (int t = 0; t < 500; t++) {
            h.learn(near(r, 0.4));
        }
        double inside = h.anomaly(new double[] {0.4, 0.4});
        double outside = h.anomaly(new double[] {0.95, 0.02});
        assertTrue(outside > inside + 0.1, "inside " + inside + " outside " + outside);
        assertTrue(inside >= 0 && outside <= 1);
    }

    @Test
    void stateRoundTripsAndTheStructureIsRebuiltFromTheSeed() throws Exception {
        HalfSpaceTrees h = HalfSpaceTrees.create(5, 5, 40, 3, 9);
        SplittableRandom r = new SplittableRandom(4);
        for (int t = 0; t < 130; t++) {
            h.learn(new double[] {r.nextDouble(), r.nextDouble(), r.nextDouble()});
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        h.write(new DataOutputStream(bytes));
        HalfSpaceTrees back = HalfSpaceTrees.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertEquals(h, back);
        double[] x = {0.2, 0.9, 0.5};
        assertEquals(h.anomaly(x), back.anomaly(x));
        assertEquals(h, h.copy());
    }
}
