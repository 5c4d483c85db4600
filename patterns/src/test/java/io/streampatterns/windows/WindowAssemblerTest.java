package io.streampatterns.windows;

import io.streampatterns.aggregate.AggregateSet;
import io.streampatterns.aggregate.Aggregates;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class WindowAssemblerTest {
    private static final AggregateSet COUNT_AND_STATS = new AggregateSet(List.of(Aggregates.count(), Aggregates.stats("v")));

    @Test
    void paneIsTheGcdAndWindowsContainingAPaneAreThoseCoveringIt() {
        SlidingWindow w = SlidingWindow.of(Duration.ofMinutes(10), Duration.ofMinutes(4));
        assertEquals(Duration.ofMinutes(2), w.pane());
        PaneGeometry g = new PaneGeometry(w);
        // pane 7 = [14m, 16m): windows starting at 8m and 12m (pane indexes 4 and 6) contain it
        assertEquals(4, g.firstWindow(7));
        assertEquals(6, g.lastWindow(7));
        assertEquals(Duration.ofMinutes(22).toMillis(), g.closesAtMs(7));
        assertEquals(4, g.firstWindowEndingAfter(Duration.ofMinutes(17).toMillis())); // [8m, 18m) ends after 17m
        assertEquals(2, g.lastWindowEndingBy(Duration.ofMinutes(17).toMillis()));      // [4m, 14m)
        assertEquals(4, g.firstWindowEndingAfter(Duration.ofMinutes(14).toMillis())); // end 14m is not after 14m
    }

    @Test
    void windowsTouchingSparsePanesSkipTheGaps() {
        PaneGeometry g = new PaneGeometry(SlidingWindow.of(Duration.ofMinutes(10), Duration.ofMinutes(5)));
        TreeSet<Long> panes = new TreeSet<>(List.of(3L, 4L, 1000L));
        assertArrayEquals(new long[] {2, 3, 4, 999, 1000}, g.windowsTouching(panes, -100, 2000));
        assertArrayEquals(new long[] {3, 4}, g.windowsTouching(panes, 3, 998));
    }

    @Test
    void blockAssemblyEqualsMergingEveryPaneOfEveryWindow() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            int slide = 1 + random.nextInt(5);
            int size = slide * (1 + random.nextInt(8)) + (random.nextBoolean() ? 0 : random.nextInt(slide));
            PaneGeometry g = new PaneGeometry(SlidingWindow.of(Duration.ofMinutes(size), Duration.ofMinutes(slide)));
            TreeMap<Long, Object[]> panes = new TreeMap<>();
            for (int i = 0; i < 30; i++) {
                long pane = random.nextInt(80) - 20;
                Object[] accs = COUNT_AND_STATS.zero();
                for (int events = 1 + random.nextInt(3); events > 0; events--) {
                    COUNT_AND_STATS.add(accs, RowFactory.create((double) random.nextInt(100)), 0, 0L);
                }
                panes.merge(pane, accs, COUNT_AND_STATS::merge);
            }
            long[] windows = g.windowsTouching(panes.navigableKeySet(), -200, 200);
            Object[][] assembled = new WindowAssembler(g, COUNT_AND_STATS).assemble(panes, windows);
            for (int x = 0; x < windows.length; x++) {
                Object[] naive = COUNT_AND_STATS.zero();
                for (Object[] p : panes.subMap(windows[x], windows[x] + g.panesPerWindow).values()) {
                    COUNT_AND_STATS.merge(naive, p);
                }
                assertArrayEquals(results(naive), results(assembled[x]), "size " + size + " slide " + slide + " window " + windows[x]);
            }
        }
    }

    @Test
    void windowsHoldingTheSamePanesShareOneAccumulator() {
        PaneGeometry g = new PaneGeometry(SlidingWindow.of(Duration.ofMinutes(60), Duration.ofMinutes(1)));
        TreeMap<Long, Object[]> panes = new TreeMap<>();
        for (long pane : new long[] {0, 30}) {
            Object[] accs = COUNT_AND_STATS.zero();
            ((long[]) accs[0])[0] = pane == 0 ? 1 : 2;
            panes.put(pane, accs);
        }
        long[] windows = g.windowsTouching(panes.navigableKeySet(), -100, 100);
        assertEquals(90, windows.length); // starts -59 .. 30
        Object[][] assembled = new WindowAssembler(g, COUNT_AND_STATS).assemble(panes, windows);
        // starts -59..-30 hold pane 0, -29..0 both panes, 1..30 pane 30: three pane sets, three accumulators
        Set<Object[]> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        distinct.addAll(List.of(assembled));
        assertEquals(3, distinct.size());
        assertEquals(1L, ((long[]) assembled[0][0])[0]);
        assertEquals(3L, ((long[]) assembled[30][0])[0]);
        assertEquals(3L, ((long[]) assembled[59][0])[0]);
        assertEquals(2L, ((long[]) assembled[60][0])[0]);
        assertEquals(2L, ((long[]) assembled[89][0])[0]);
    }

    private static Object[] results(Object[] accs) {
        Object[] out = new Object[7];
        COUNT_AND_STATS.result(accs, out, 0);
        out[5] = null; // variance and stddev depend on merge order in the last bits
        out[6] = null;
        return out;
    }
}
