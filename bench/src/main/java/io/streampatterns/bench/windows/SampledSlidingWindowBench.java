package io.streampatterns.bench.windows;

import io.streampatterns.apps.generate.OutputOptions;
import io.streampatterns.bench.BenchContext;
import io.streampatterns.bench.BenchData;
import io.streampatterns.bench.BenchResult;
import io.streampatterns.bench.Benchmark;
import io.streampatterns.bench.windows.SlidingWindowBench.Run;
import io.streampatterns.core.Durations;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.time.Duration;

import static io.streampatterns.bench.windows.SlidingWindowBench.round;

/**
 * {@code sliding-window-SIZE-SLIDE} for long windows, e.g. 24 h every minute, where Spark's native
 * {@code window(ts, size, slide)} copies every event size/slide times (1,440) and would take hours on the full input:
 * as {@link SlidingWindowBench}, but the native sliding query runs on a sample, the generator's first {@code N}
 * events (same seed) in one file: one micro-batch, plus the no-data batch that advances the watermark. Fewer batches
 * favour native: its plan of 1,440 projections fails code generation and Spark retries the compilation (tens of
 * seconds) in every batch before running it interpreted. Ours and native tumbling run on the full input as in the
 * other entries; the ratio is ours' events/s on the full input over native's on the sample. Ours also runs on the
 * sample: its windows must equal native's there ({@code agree}), and it gives the ratio and the state rows of both on
 * the same events.
 */
public final class SampledSlidingWindowBench implements Benchmark {
    static final long NATIVE_WARM_UP_EVENTS = 200;

    private final SlidingWindowBench pipelines;
    private final Duration size;
    private final Duration slide;
    private final long fullSample;
    private final long quickSample;

    /** Windows of {@code size} every {@code slide} per user; native on {@code fullSample} events ({@code quickSample} with --quick). */
    public SampledSlidingWindowBench(Duration size, Duration slide, long fullSample, long quickSample) {
        if (fullSample <= 0 || quickSample <= 0 || Math.max(fullSample, quickSample) > OutputOptions.DEFAULT_EVENTS_PER_FILE) {
            throw new IllegalArgumentException("native samples must be 1 to " + OutputOptions.DEFAULT_EVENTS_PER_FILE
                    + " events (one file), got " + fullSample + " and " + quickSample);
        }
        this.pipelines = new SlidingWindowBench(size, slide);
        this.size = size;
        this.slide = slide;
        this.fullSample = fullSample;
        this.quickSample = quickSample;
    }

    @Override
    public String name() {
        return "sliding-window-" + hours(size) + "-" + hours(slide);
    }

    @Override
    public String description() {
        return pipelines.description() + "; native sliding on the first " + quickSample + " (--quick) or "
                + fullSample + " events only";
    }

    @Override
    public BenchResult run(BenchContext ctx) throws Exception {
        long events = ctx.events(2_000_000, 500_000);
        long sample = ctx.events(fullSample, quickSample);
        Path data = ctx.workDir().getParent();
        Path input = BenchData.clickstream(data.resolve("clickstream-" + events), events);
        Path warmUp = BenchData.clickstream(data.resolve("clickstream-" + SlidingWindowBench.WARM_UP_EVENTS),
                SlidingWindowBench.WARM_UP_EVENTS);
        Path sampled = BenchData.clickstream(data.resolve("clickstream-" + sample), sample);
        Path nativeWarmUp = BenchData.clickstream(data.resolve("clickstream-" + NATIVE_WARM_UP_EVENTS), NATIVE_WARM_UP_EVENTS);
        return measure(ctx.spark(), input, sampled, warmUp, nativeWarmUp, ctx.workDir());
    }

    /**
     * Runs ours and native tumbling on {@code input}, ours and native sliding on {@code sample} (one file per
     * micro-batch), after warming up on {@code warmUp} (native sliding once on {@code nativeWarmUp}: each of its batches
     * spends tens of seconds on the failing compilation); checkpoints under {@code dir}.
     */
    public BenchResult measure(SparkSession spark, Path input, Path sample, Path warmUp, Path nativeWarmUp, Path dir)
            throws Exception {
        Run.query(spark, nativeWarmUp, 1, dir.resolve("warm-native"), pipelines::nativeSliding);
        for (int i = 0; i < SlidingWindowBench.WARM_UP_ROUNDS; i++) {
            Run.query(spark, warmUp, 1, dir.resolve("warm-ours-" + i), pipelines::paneBased);
            Run.query(spark, warmUp, 1, dir.resolve("warm-tumbling-" + i), pipelines::nativeTumbling);
        }
        int perBatch = SlidingWindowBench.filesPerBatch(input);
        SlidingWindowBench.OursAndTumbling runs = pipelines.oursAndTumbling(spark, input, perBatch, dir);
        Run ours = runs.ours();
        Run tumbling = runs.tumbling();
        Run oursSample = Run.query(spark, sample, 1, dir.resolve("ours-sample"), pipelines::paneBased);
        Run nativeSample = Run.query(spark, sample, 1, dir.resolve("native-sample"), pipelines::nativeSliding);
        return BenchResult.of(name(), ours.eps(), nativeSample.eps(), oursSample.windows == nativeSample.windows)
                .with("events", ours.events)
                .with("native_sample_events", nativeSample.events)
                .with("native_sample_s", round(nativeSample.seconds))
                .with("ours_sample_eps", Math.round(oursSample.eps()))
                .with("ratio_on_sample", round(oursSample.eps() / nativeSample.eps()))
                .with("tumbling_eps", Math.round(tumbling.eps()))
                .with("ours_vs_tumbling", round(ours.eps() / tumbling.eps()))
                .with("ours_cpu_s", round(ours.cpuSeconds))
                .with("native_sample_cpu_s", round(nativeSample.cpuSeconds))
                .with("tumbling_cpu_s", round(tumbling.cpuSeconds))
                .with("ours_state_rows", ours.stateRows)
                .with("ours_state_bytes", ours.stateBytes)
                .with("ours_sample_state_rows", oursSample.stateRows)
                .with("native_sample_state_rows", nativeSample.stateRows)
                .with("state_rows_ratio_on_sample", round((double) oursSample.stateRows / nativeSample.stateRows))
                .with("native_sample_state_bytes", nativeSample.stateBytes)
                .with("ours_windows", ours.windows)
                .with("ours_sample_windows", oursSample.windows)
                .with("native_sample_windows", nativeSample.windows);
    }

    /** Whole hours as hours ({@code 24h}, where {@link Durations#format} says {@code 1d}), anything else as Durations does. */
    private static String hours(Duration d) {
        return !d.isZero() && d.toMinutesPart() == 0 && d.toSecondsPart() == 0 && d.toMillisPart() == 0
                ? d.toHours() + "h" : Durations.format(d);
    }
}
