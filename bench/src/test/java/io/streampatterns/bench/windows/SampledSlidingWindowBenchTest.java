package io.streampatterns.bench.windows;

import io.streampatterns.bench.BenchData;
import io.streampatterns.bench.BenchResult;
import io.streampatterns.testkit.TestSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A small run of the sampled sliding-window entry (1 h every minute, so that native stays cheap here): native runs on
 * the sample only, ours on both, and their windows on the sample agree.
 */
class SampledSlidingWindowBenchTest {
    @TempDir
    Path dir;

    @Test
    void nativeRunsOnTheSampleOnlyAndGivesOursWindowsThere() throws Exception {
        SampledSlidingWindowBench bench = new SampledSlidingWindowBench(Duration.ofHours(1), Duration.ofMinutes(1), 30_000, 3_000);
        Path input = BenchData.clickstream(dir.resolve("input"), 6_000);
        Path sample = BenchData.clickstream(dir.resolve("sample"), 3_000); // about 15 minutes of events: windows close
        BenchResult r = bench.measure(TestSpark.get(), input, sample, sample, sample, dir.resolve("work"));
        assertEquals("sliding-window-1h-1m", r.name());
        assertEquals(6_000L, r.extra().get("events"));
        assertEquals(3_000L, r.extra().get("native_sample_events"));
        long windows = (long) r.extra().get("native_sample_windows");
        assertTrue(windows > 0, r.toJson().toString());
        assertEquals(windows, r.extra().get("ours_sample_windows"));
        assertEquals(Boolean.TRUE, r.agree());
        assertTrue((long) r.extra().get("ours_windows") > windows, r.toJson().toString());
        assertTrue((long) r.extra().get("native_sample_state_rows") > 10 * (long) r.extra().get("ours_sample_state_rows"),
                r.toJson().toString());
    }
}
