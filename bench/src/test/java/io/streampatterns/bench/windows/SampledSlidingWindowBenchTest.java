package io.streampatterns.bench.windows;

import io.streampatterns.bench.BenchContext;
import io.streampatterns.bench.BenchData;
import io.streampatterns.bench.BenchResult;
import io.streampatterns.bench.Protocol;
import io.streampatterns.bench.SideFigures;
import io.streampatterns.testkit.TestSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A small run of the sampled sliding-window entry (1 h every minute, so that native stays cheap here): native runs on
 * the sample only, ours on both, and their windows on the sample agree by content.
 */
class SampledSlidingWindowBenchTest {
    @TempDir
    Path dir;

    @Test
    void nativeRunsOnTheSampleOnlyAndGivesOursWindowsThere() throws Exception {
        SampledSlidingWindowBench bench = new SampledSlidingWindowBench(Duration.ofHours(1), Duration.ofMinutes(1), 30_000, 3_000);
        Path input = BenchData.clickstream(dir.resolve("input"), 6_000);
        Path sample = BenchData.clickstream(dir.resolve("sample"), 3_000); // about 15 minutes of events: windows close
        BenchContext ctx = new BenchContext(TestSpark.get(), dir.resolve("work"), true, 1);
        BenchResult r = Protocol.run(bench.name(), bench.plan(ctx, input, sample, sample, sample), 1);
        String json = r.toJson().toString();
        assertEquals("sliding-window-1h-1m", r.name());
        assertEquals(List.of("ours", "native", "tumbling", "ours_sample"), r.sideNames());
        assertEquals(6_000L, r.extra().get("events"));
        assertEquals(3_000L, r.extra().get("native_sample_events"));
        SideFigures nat = r.side("native");
        SideFigures oursSample = r.side("ours_sample");
        assertEquals(3_000L, nat.events());
        long windows = (long) nat.figures().get("windows");
        assertTrue(windows > 0, json);
        assertEquals(windows, oursSample.figures().get("windows"));
        assertEquals(Boolean.TRUE, r.agree(), json);
        assertTrue((long) r.side("ours").figures().get("windows") > windows, json);
        assertTrue((long) nat.figures().get("state_rows") > 10 * (long) oursSample.figures().get("state_rows"), json);
        assertTrue((double) r.extra().get("note_ratio_on_sample") > 0, json);
    }
}
