package io.streampatterns.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Issue 13: hand-written progress sequences through {@link LagWatch}, no Spark. */
class LagWatchTest {
    static final Instant T0 = Instant.parse("2026-05-01T10:00:00Z");
    static final WatchOptions TEN_SECONDS = WatchOptions.defaults().withTriggerInterval(Duration.ofSeconds(10));

    /** A progress report of batch {@code id} at {@code T0 + 10 s * id}; fields set with the withers. */
    record Report(long id, long durationMs, Double input, Double processed, String watermark, Long stateRows, long removed) {
        static Report batch(long id) {
            return new Report(id, 2000, 100.0, 500.0, null, null, 0);
        }

        Report took(long ms) {
            return new Report(id, ms, input, processed, watermark, stateRows, removed);
        }

        Report rates(double in, double out) {
            return new Report(id, durationMs, in, out, watermark, stateRows, removed);
        }

        Report state(long rows, long evicted) {
            return new Report(id, durationMs, input, processed, watermark, rows, evicted);
        }

        Report watermark(String hhmm) {
            return new Report(id, durationMs, input, processed, "2026-05-01T" + hhmm + ":00.000Z", stateRows, removed);
        }

        JsonNode json() {
            ObjectNode p = Json.object();
            p.put("id", "q-1").put("name", "sessions").put("batchId", id)
                    .put("timestamp", T0.plusSeconds(10 * id).toString()).put("batchDuration", durationMs);
            p.putObject("durationMs").put("triggerExecution", durationMs);
            if (input != null) {
                // 10 s between batch starts: input rows/s = numInputRows / 10; Spark's own input rate is a decoy
                p.put("numInputRows", Math.round(input * 10)).put("inputRowsPerSecond", 1e6).put("processedRowsPerSecond", processed);
            }
            ObjectNode eventTime = p.putObject("eventTime");
            if (watermark != null) {
                eventTime.put("watermark", watermark);
            }
            if (stateRows != null) {
                p.putArray("stateOperators").addObject().put("numRowsTotal", stateRows).put("numRowsRemoved", removed)
                        .put("numRowsDroppedByWatermark", 0);
            } else {
                p.putArray("stateOperators");
            }
            return p;
        }
    }

    /** Feeds the reports in order; returns every change line printed on the way. */
    static List<String> feed(LagWatch[] watch, Report... reports) {
        List<String> lines = new java.util.ArrayList<>();
        for (Report r : reports) {
            watch[0] = watch[0].next(r.json());
            watch[0].changes().forEach(c -> lines.add(c.line()));
        }
        return lines;
    }

    static LagWatch[] watch(WatchOptions options) {
        return new LagWatch[]{LagWatch.of(options, "sessions")};
    }

    @Test
    void batchesSlowerThanTheTriggerForThreeBatchesWarnOnceWithTheNumbers() {
        LagWatch[] w = watch(TEN_SECONDS);
        List<String> lines = feed(w, Report.batch(0), Report.batch(1).took(12400).rates(5000, 4000),
                Report.batch(2).took(11900).rates(5100, 3100));
        assertEquals(List.of(), lines, "two slow batches are not yet a trend");
        lines = feed(w, Report.batch(3).took(12800).rates(5200, 3100), Report.batch(4).took(13000).rates(5200, 3100));
        assertEquals(List.of("warning: sessions falls behind: batch durations 12.4 s, 11.9 s, 12.8 s > trigger 10 s for 3 batches;"
                + " input 5,200 rows/s > processed 3,100 rows/s"), lines, "said once, while it goes on");
        assertEquals(QueryWarning.Kind.FALLS_BEHIND, w[0].warnings().get(0).kind());
        assertEquals("sessions falls behind: batch durations 11.9 s, 12.8 s, 13 s > trigger 10 s for 4 batches;"
                + " input 5,200 rows/s > processed 3,100 rows/s", w[0].warnings().get(0).message(), "the latest numbers");
        assertEquals(List.of(), feed(w, Report.batch(5).took(14000).rates(9000, 8800)), "slow, though the rates are close");
    }

    @Test
    void aBatchWithinTheTriggerClearsTheWarningOnce() {
        LagWatch[] w = watch(TEN_SECONDS);
        feed(w, Report.batch(0).took(12000), Report.batch(1).took(12000), Report.batch(2).took(12000));
        assertEquals(1, w[0].warnings().size());
        List<String> lines = feed(w, Report.batch(3).took(800).rates(200, 1500), Report.batch(4).took(700));
        assertEquals(List.of("cleared: sessions no longer falls behind: batch 3 took 800 ms (trigger 10 s);"
                + " input 200 rows/s, processed 1,500 rows/s"), lines);
        assertEquals(List.of(), w[0].warnings());
    }

    @Test
    void queryThatWaitsForDataHasCaughtUp() {
        LagWatch[] w = watch(TEN_SECONDS);
        feed(w, Report.batch(0).took(12000), Report.batch(1).took(12000), Report.batch(2).took(12000));
        w[0] = w[0].idle();
        assertEquals(List.of("cleared: sessions no longer falls behind: it caught up and waits for data"),
                w[0].changes().stream().map(LagWatch.Change::line).toList());
        assertEquals(List.of(), w[0].warnings());
        assertEquals(List.of(), w[0].idle().changes(), "said once");
        assertEquals(List.of(), feed(w, Report.batch(3).took(12000), Report.batch(4).took(12000)),
                "the run of slow batches starts again after the idle time");
    }

    @Test
    void oneSlowBatchAmongFastOnesGivesNoWarning() {
        LagWatch[] w = watch(TEN_SECONDS);
        List<String> lines = feed(w, Report.batch(0).took(30000).rates(9000, 100), Report.batch(1), Report.batch(2),
                Report.batch(3).took(15000), Report.batch(4), Report.batch(5).took(10000));
        assertEquals(List.of(), lines, "a batch of exactly the trigger interval is on time");
    }

    @Test
    void inputFasterThanProcessingForThreeBatchesWarnsWithoutATriggerInterval() {
        LagWatch[] w = watch(WatchOptions.defaults());
        List<String> lines = feed(w, Report.batch(0).took(60000).rates(2000, 1000), Report.batch(1).took(60000),
                Report.batch(2).rates(5200, 3100), Report.batch(3).rates(5300, 3000), Report.batch(4).rates(5400, 3000));
        assertEquals(List.of("warning: sessions falls behind: input 5,400 rows/s > processed 3,000 rows/s for 3 batches"), lines,
                "without a trigger interval long batches alone say nothing");
    }

    /** Spark's inputRowsPerSecond counts from the last empty poll: a burst after a wait would read as 1,000,000 rows/s. */
    @Test
    void burstsAfterAWaitAreNotFallingBehind() {
        LagWatch[] w = watch(WatchOptions.defaults());
        assertEquals(List.of(), feed(w, Report.batch(0), Report.batch(1), Report.batch(2), Report.batch(3)));
        assertEquals("sessions falls behind: input 400 rows/s > processed 200 rows/s for 3 batches",
                feed(w, Report.batch(4).rates(400, 200), Report.batch(5).rates(400, 200), Report.batch(6).rates(400, 200))
                        .get(0).substring("warning: ".length()), "rows between the batches' starts, against the processed rate");
    }

    @Test
    void inputRateJustAboveProcessedRateIsNoise() {
        LagWatch[] w = watch(WatchOptions.defaults());
        assertEquals(List.of(), feed(w, Report.batch(0).rates(1050, 1000), Report.batch(1).rates(1080, 1000),
                Report.batch(2).rates(1090, 1000), Report.batch(3).rates(1100, 1000)), "within the 1.1 ratio");
    }

    @Test
    void aRepeatedReportOfTheSameBatchChangesNothing() {
        LagWatch[] w = watch(TEN_SECONDS);
        assertEquals(List.of(), feed(w, Report.batch(0).took(12000), Report.batch(1).took(12000), Report.batch(1).took(12000)));
        assertEquals(1, feed(w, Report.batch(2).took(12000)).size());
        assertEquals(List.of(), feed(w, Report.batch(2).took(12000)), "idle repeats neither warn again nor clear");
        assertEquals(1, w[0].warnings().size());
    }

    @Test
    void stateGrowingWhileTheWatermarkStaysWarnsWithRowsSpanAndWatermark() {
        LagWatch[] w = watch(TEN_SECONDS.withStateGrowth(5, Duration.ofSeconds(40)));
        List<String> lines = feed(w, Report.batch(0).state(1234, 0).watermark("09:55"),
                Report.batch(1).state(5000, 0).watermark("09:55"), Report.batch(2).state(20000, 10).watermark("09:55"),
                Report.batch(3).state(50000, 0).watermark("09:55"));
        assertEquals(List.of(), lines, "four batches");
        lines = feed(w, Report.batch(4).state(98765, 0).watermark("09:55"));
        assertEquals(List.of("warning: sessions state grows: 1,234 → 98,765 rows over 5 batches (40 s) while the watermark"
                + " stays at 2026-05-01T09:55:00Z; 10 rows evicted"), lines);
        lines = feed(w, Report.batch(5).state(98000, 900).watermark("09:56"));
        assertEquals(List.of("cleared: sessions state no longer grows unchecked: 98,000 rows at batch 5, 900 rows evicted,"
                + " watermark 2026-05-01T09:56:00Z"), lines);
    }

    /** The run goes on past the batches it needed: the warning holds, its numbers follow, it does not clear by itself. */
    @Test
    void stateGrowthWarningHoldsWhileTheRunGoesOnAndClearsWhenStateStopsGrowing() {
        LagWatch[] w = watch(WatchOptions.defaults().withStateGrowth(3, Duration.ofSeconds(20)));
        assertEquals(1, feed(w, Report.batch(0).state(10, 0), Report.batch(1).state(20, 0), Report.batch(2).state(30, 0)).size());
        assertEquals(List.of(), feed(w, Report.batch(3).state(40, 0), Report.batch(4).state(50, 0), Report.batch(5).state(60, 0)));
        assertEquals("sessions state grows: 10 → 60 rows over 6 batches (50 s) with no watermark; nothing evicted"
                + " (numRowsRemoved 0)", w[0].warnings().get(0).message());
        assertEquals(List.of("cleared: sessions state no longer grows unchecked: 60 rows at batch 6"),
                feed(w, Report.batch(6).state(60, 0)));
    }

    @Test
    void watermarkAtTheEpochIsNoWatermarkYet() {
        LagWatch[] w = watch(WatchOptions.defaults().withStateGrowth(3, Duration.ZERO));
        Report epoch = Report.batch(0).state(10, 0);
        epoch = new Report(0, epoch.durationMs(), epoch.input(), epoch.processed(), "1970-01-01T00:00:00Z", 10L, 0);
        assertEquals(List.of("warning: sessions state grows: 10 → 30 rows over 3 batches (20 s) while the watermark moves"
                + " to 2026-05-01T10:01:00Z; nothing evicted (numRowsRemoved 0)"),
                feed(w, epoch, Report.batch(1).state(20, 0).watermark("10:00"), Report.batch(2).state(30, 0).watermark("10:01")));
    }

    @Test
    void stateGrowingWithoutWatermarkAndWithoutEvictionWarns() {
        LagWatch[] w = watch(WatchOptions.defaults().withStateGrowth(3, Duration.ZERO));
        List<String> lines = feed(w, Report.batch(0).state(10, 0), Report.batch(1).state(20, 0), Report.batch(2).state(30, 0));
        assertEquals(List.of("warning: sessions state grows: 10 → 30 rows over 3 batches (20 s) with no watermark;"
                + " nothing evicted (numRowsRemoved 0)"), lines);
    }

    @Test
    void stateGrowingWhileTheWatermarkMovesButNothingIsEvictedWarns() {
        LagWatch[] w = watch(WatchOptions.defaults().withStateGrowth(3, Duration.ZERO));
        List<String> lines = feed(w, Report.batch(0).state(10, 0).watermark("10:00"),
                Report.batch(1).state(20, 0).watermark("10:01"), Report.batch(2).state(30, 0).watermark("10:02"));
        assertEquals(List.of("warning: sessions state grows: 10 → 30 rows over 3 batches (20 s) while the watermark moves from"
                + " 2026-05-01T10:00:00Z to 2026-05-01T10:02:00Z; nothing evicted (numRowsRemoved 0)"), lines);
    }

    @Test
    void stateGrowingWhileTheWatermarkMovesAndRowsAreEvictedGivesNoWarning() {
        LagWatch[] w = watch(WatchOptions.defaults().withStateGrowth(3, Duration.ZERO));
        assertEquals(List.of(), feed(w, Report.batch(0).state(10, 0).watermark("10:00"),
                Report.batch(1).state(20, 5).watermark("10:01"), Report.batch(2).state(30, 5).watermark("10:02"),
                Report.batch(3).state(40, 5).watermark("10:03")));
    }

    @Test
    void stateGrowthShorterThanTheSpanOrPausedGivesNoWarning() {
        LagWatch[] w = watch(WatchOptions.defaults());
        assertEquals(List.of(), feed(w, Report.batch(0).state(10, 0), Report.batch(1).state(20, 0),
                Report.batch(2).state(30, 0), Report.batch(3).state(40, 0), Report.batch(4).state(50, 0)),
                "5 batches over 40 s: under the default minute");
        LagWatch[] paused = watch(WatchOptions.defaults().withStateGrowth(3, Duration.ZERO));
        assertEquals(List.of(), feed(paused, Report.batch(0).state(10, 0), Report.batch(1).state(20, 0),
                Report.batch(2).state(20, 0), Report.batch(3).state(30, 0)), "a batch without growth breaks the streak");
    }

    @Test
    void optionsRefuseValuesThatWouldWarnOnNoise() {
        WatchOptions d = WatchOptions.defaults();
        assertThrows(IllegalArgumentException.class, () -> d.withBehindBatches(1));
        assertThrows(IllegalArgumentException.class, () -> d.withRateRatio(0.9));
        assertThrows(IllegalArgumentException.class, () -> d.withRateRatio(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> d.withStateGrowth(1, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> d.withStateGrowth(5, Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> d.withTriggerInterval(Duration.ofSeconds(-1)));
        assertEquals(3, d.behindBatches());
        assertEquals(Duration.ZERO, d.triggerInterval());
    }

    @Test
    void numbersAreExact() {
        assertEquals("950 ms", LagWatch.seconds(950));
        assertEquals("1.049 s", LagWatch.seconds(1049));
        assertEquals("10 s", LagWatch.seconds(10000));
        assertEquals("2 min 3 s", LagWatch.span(Duration.ofSeconds(123)));
        assertEquals("1 h 5 min", LagWatch.span(Duration.ofMinutes(65)));
        assertEquals("0.5 rows/s", LagWatch.rate(0.5));
    }
}
