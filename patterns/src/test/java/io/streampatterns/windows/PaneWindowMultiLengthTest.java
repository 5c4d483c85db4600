package io.streampatterns.windows;

import io.streampatterns.testkit.TestDepth;
import io.streampatterns.aggregate.Aggregates;
import io.streampatterns.core.ConfigException;
import io.streampatterns.core.EventTime;
import io.streampatterns.testkit.StreamScenario.Step;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several window lengths in one pass ({@link PaneWindowOptions#of(List)}): per micro-batch, the rows are exactly the
 * union of what each length alone emits (already checked against Spark's native windows by
 * {@link PaneWindowDifferentialTest}); an event counts as late only when the windows of every length are closed.
 */
class PaneWindowMultiLengthTest {
    static final List<SlidingWindow> LENGTHS = List.of(
            SlidingWindow.tumbling(Duration.ofMinutes(1)),
            SlidingWindow.of(Duration.ofMinutes(5), Duration.ofMinutes(1)),
            SlidingWindow.of(Duration.ofMinutes(15), Duration.ofMinutes(3)));

    @Test
    void severalLengthsInOnePassEqualEachLengthAlone() {
        for (long seed = 11; seed < 11 + TestDepth.of(2, 12); seed++) {
            PaneWindowDifferentialTest.Case c = new PaneWindowDifferentialTest.Case(seed);
            PaneWindowOptions all = options(PaneWindowOptions.of(LENGTHS), c);
            List<Step> together = PaneWindowDifferentialTest.run(c, df -> PaneWindowAggregation.of(all).apply(df));
            List<Map<String, String>> expected = new ArrayList<>();
            for (int b = 0; b < c.batches.size(); b++) {
                expected.add(new TreeMap<>());
            }
            for (SlidingWindow w : LENGTHS) {
                PaneWindowOptions one = options(PaneWindowOptions.of(w), c);
                List<Step> alone = PaneWindowDifferentialTest.run(c, df -> PaneWindowAggregation.of(one).apply(df));
                for (int b = 0; b < c.batches.size(); b++) {
                    expected.get(b).putAll(byWindow(alone.get(b).rows()));
                }
            }
            long watermark = 0;
            for (int b = 0; b < c.batches.size(); b++) {
                String where = c + " batch " + b;
                assertEquals(expected.get(b), byWindow(together.get(b).rows()), where);
                long late = lateForLongest(c, b, watermark);
                assertEquals(late, together.get(b).observed(all.metricName(), "late_events"), where);
                watermark = java.time.Instant.parse(together.get(b).watermark()).toEpochMilli();
            }
        }
    }

    @Test
    void twoWindowsOfTheSameLengthAreRejected() {
        ConfigException e = assertThrows(ConfigException.class, () -> PaneWindowOptions.of(List.of(
                SlidingWindow.of(Duration.ofHours(1), Duration.ofMinutes(1)),
                SlidingWindow.of(Duration.ofHours(1), Duration.ofMinutes(5)))));
        assertTrue(e.getMessage().contains("same length (1h)"), e.getMessage());
    }

    @Test
    void sharedPaneIsTheGcdOfEveryLength() {
        WindowSet set = new WindowSet(List.of(SlidingWindow.of(Duration.ofMinutes(10), Duration.ofMinutes(4)),
                SlidingWindow.tumbling(Duration.ofMinutes(3))));
        assertEquals(Duration.ofMinutes(1).toMillis(), set.paneMs);
        assertEquals(4, set.geometries.get(0).panesPerSlide);
        assertEquals(10, set.geometries.get(0).panesPerWindow);
    }

    private static PaneWindowOptions options(PaneWindowOptions base, PaneWindowDifferentialTest.Case c) {
        return base.keyedBy("user").eventTime(EventTime.of("ts", c.watermark))
                .aggregates(Aggregates.count(), Aggregates.stats("amount"), Aggregates.quantiles("amount", 0.5))
                .emit(c.mode);
    }

    /** Events of batch {@code b} whose windows of every length had closed at the previous watermark. */
    private static long lateForLongest(PaneWindowDifferentialTest.Case c, int b, long watermarkMs) {
        WindowSet set = new WindowSet(LENGTHS);
        return c.batches.get(b).stream()
                .filter(r -> set.closesAtMs(set.paneOf(((java.sql.Timestamp) r.get(1)).getTime())) <= watermarkMs)
                .count();
    }

    /** Window rows by key and window, values rounded to 9 significant digits. */
    private static Map<String, String> byWindow(List<Row> rows) {
        Map<String, String> m = new TreeMap<>();
        for (Row r : rows) {
            String key = r.getAs("user") + "@" + r.getAs("window_start") + "-" + r.getAs("window_end");
            StringBuilder values = new StringBuilder();
            for (int i = 0; i < r.length(); i++) {
                Object v = r.get(i);
                // variance and deviation depend on the merge order in the last bits
                values.append(v instanceof Double ? String.format("%.9g", v) : String.valueOf(v)).append(',');
            }
            m.put(key, values.toString());
        }
        return m;
    }
}
