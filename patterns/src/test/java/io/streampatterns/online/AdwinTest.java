package io.streampatterns.online;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdwinTest {
    private static int bernoulli(SplittableRandom r, double p) {
        return r.nextDouble() < p ? 1 : 0;
    }

    @Test
    void detectsAnAbruptChangeOfTheMeanSoonAfterItAndShrinksToTheNewData() {
        for (long seed = 1; seed <= 5; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            Adwin a = Adwin.create(0.002);
            for (int t = 0; t < 5_000; t++) {
                assertTrue(!a.add(bernoulli(r, 0.2)), "false alarm before the change, seed " + seed + " at " + t);
            }
            int delay = -1;
            for (int t = 0; t < 5_000 && delay < 0; t++) {
                if (a.add(bernoulli(r, 0.6))) {
                    delay = t + 1;
                }
            }
            assertTrue(delay > 0 && delay <= 200, "change 0.2 -> 0.6 detected after " + delay + " values, seed " + seed);
            assertTrue(a.width() < 1_000, "window cut to the data since the change: " + a.width());
        }
    }

    @Test
    void stationaryStreamRaisesNoAlarmAndTheWindowGrows() {
        SplittableRandom r = new SplittableRandom(11);
        Adwin a = Adwin.create(0.002);
        for (int t = 0; t < 20_000; t++) {
            a.add(bernoulli(r, 0.3));
        }
        assertEquals(0, a.detections());
        assertEquals(20_000, a.width());
        assertEquals(0.3, a.mean(), 0.02);
    }

    @Test
    void smallChangeTakesLongerThanALargeOne() {
        assertTrue(delay(0.2, 0.3) > delay(0.2, 0.7));
    }

    private static int delay(double before, double after) {
        SplittableRandom r = new SplittableRandom(7);
        Adwin a = Adwin.create(0.002);
        for (int t = 0; t < 3_000; t++) {
            a.add(bernoulli(r, before));
        }
        for (int t = 1; t <= 100_000; t++) {
            if (a.add(bernoulli(r, after))) {
                return t;
            }
        }
        return Integer.MAX_VALUE;
    }

    @Test
    void stateRoundTripsAndContinuesIdentically() throws Exception {
        SplittableRandom r = new SplittableRandom(2);
        Adwin a = Adwin.create(0.002);
        for (int t = 0; t < 3_000; t++) {
            a.add(bernoulli(r, 0.2));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        a.write(new DataOutputStream(bytes));
        Adwin b = Adwin.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        for (int t = 0; t < 3_000; t++) {
            double x = bernoulli(r, 0.7);
            assertEquals(a.add(x), b.add(x));
            assertEquals(a.width(), b.width());
            assertEquals(a.mean(), b.mean());
        }
        assertTrue(a.detections() > 0);
    }
}
