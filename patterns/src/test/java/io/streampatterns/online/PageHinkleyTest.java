package io.streampatterns.online;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PageHinkleyTest {
    @Test
    void alarmsAtTheValueWhereTheCumulativeDeviationPassesLambda() {
        // ten 0s then 1s, delta 0, lambda 5: m_T after the 11th..17th value is 0.909, 1.742, 2.511, 3.226, 3.892,
        // 4.517, 5.106 (each 1 - mean_t): the 17th value raises the alarm.
        PageHinkley ph = PageHinkley.create(0, 5, 1);
        for (int t = 1; t <= 16; t++) {
            assertFalse(ph.add(t <= 10 ? 0 : 1), "no alarm at " + t);
        }
        assertEquals(4.517, ph.statistic(), 1e-3);
        assertTrue(ph.add(1));
        assertEquals(0, ph.statistic(), "restarts after an alarm");
    }

    @Test
    void aDecreaseOrAStationaryStreamRaisesNoAlarm() {
        SplittableRandom r = new SplittableRandom(4);
        PageHinkley ph = PageHinkley.create(0.05, 50, 30);
        for (int t = 0; t < 50_000; t++) {
            ph.add(r.nextDouble() < (t < 25_000 ? 0.3 : 0.1) ? 1 : 0);
        }
        assertEquals(0, ph.detections());
    }

    @Test
    void detectsAnIncreaseOfTheErrorRate() {
        SplittableRandom r = new SplittableRandom(9);
        PageHinkley ph = PageHinkley.create(0.05, 50, 30);
        for (int t = 0; t < 10_000; t++) {
            assertFalse(ph.add(r.nextDouble() < 0.1 ? 1 : 0));
        }
        int delay = 0;
        while (!ph.add(r.nextDouble() < 0.4 ? 1 : 0)) {
            delay++;
        }
        // the statistic grows by about 0.4 - 0.1 - delta = 0.25 per value: lambda 50 is passed after ~200 values
        assertTrue(delay > 100 && delay < 300, "delay " + delay);
    }

    @Test
    void stateRoundTrips() throws Exception {
        PageHinkley ph = PageHinkley.create(0.01, 20, 5);
        for (int t = 0; t < 100; t++) {
            ph.add(t % 3 == 0 ? 1 : 0);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ph.write(new DataOutputStream(bytes));
        PageHinkley back = PageHinkley.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        for (int t = 0; t < 200; t++) {
            assertEquals(ph.add(1), back.add(1));
            assertEquals(ph.statistic(), back.statistic());
        }
    }
}
