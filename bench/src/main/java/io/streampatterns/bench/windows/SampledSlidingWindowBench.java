package io.streampatterns.bench.windows;

import io.streampatterns.apps.generate.OutputOptions;
import io.streampatterns.bench.BenchContext;
import io.streampatterns.bench.BenchData;
import io.streampatterns.bench.Benchmark;
import io.streampatterns.bench.Measured;
import io.streampatterns.bench.Plan;
import io.streampatterns.bench.Protocol;
import io.streampatterns.bench.Side;
import io.streampatterns.core.Durations;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sliding-window-SIZE-SLIDE} for long windows, e.g. 24 h every minute, where Spark's native
 * {@code window(ts, size, slide)} copies every event size/slide times (1,440) and would take hours on the full input:
 * as {@link SlidingWindowBench}, but the native sliding side runs on a sample, the generator's first {@code N}
 * events (same seed) in one file: one micro-batch, plus the no-data batch that advances the watermark. Fewer batches
 * favour native: its plan of 1,440 projections fails code generation and Spark retries the compilation (tens of
 * seconds) in every batch before running it interpreted. Ours and native tumbling run on the full input as in the
 * other entries; the ratio is ours' events/s on the full input over native's on the sample. A fourth side,
 * {@code ours_sample}, runs ours on the sample: its windows must equal native's there (the digests of these two
 * sides are what {@code agree} compares; ours on the full input computes other windows), and it gives the ratio and
 * the state rows of both on the same events ({@code ratio_on_sample}, {@code state_rows_ratio_on_sample}).
 */
public final class SampledSlidingWindowBench implements Benchmark {
    static final long NATIVE_WARM_UP_EVENTS = 200;
    static final String OURS_SAMPLE = "ours_sample";

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
    public Plan plan(BenchContext ctx) throws Exception {
        long events = ctx.events(2_000_000, 500_000);
        long sample = ctx.events(fullSample, quickSample);
        Path data = ctx.workDir().getParent();
        Path input = BenchData.clickstream(data.resolve("clickstream-" + events), events);
        Path warmUp = BenchData.clickstream(data.resolve("clickstream-" + SlidingWindowBench.WARM_UP_EVENTS),
                SlidingWindowBench.WARM_UP_EVENTS);
        Path sampled = BenchData.clickstream(data.resolve("clickstream-" + sample), sample);
        Path nativeWarmUp = BenchData.clickstream(data.resolve("clickstream-" + NATIVE_WARM_UP_EVENTS), NATIVE_WARM_UP_EVENTS);
        return plan(ctx, input, sampled, warmUp, nativeWarmUp);
    }

    /**
     * The sides: ours and native tumbling on {@code input}, native sliding and ours on {@code sample} (one file per
     * micro-batch); the warm-up runs ours and tumbling on {@code warmUp} and native sliding once on {@code nativeWarmUp}
     * (each of its batches spends tens of seconds on the failing compilation).
     */
    public Plan plan(BenchContext ctx, Path input, Path sample, Path warmUp, Path nativeWarmUp) throws IOException {
        SparkSession spark = ctx.spark();
        int perBatch = SlidingWindowBench.filesPerBatch(input);
        Side ours = pipelines.side("ours", ctx, input, perBatch, pipelines::paneBased);
        Side nat = pipelines.side("native", ctx, sample, 1, pipelines::nativeSliding);
        Side tumbling = pipelines.side("tumbling", ctx, input, perBatch, pipelines::nativeTumbling);
        Side oursSample = pipelines.side(OURS_SAMPLE, ctx, sample, 1, pipelines::paneBased);
        return Plan.of(ours, nat, tumbling, oursSample).agreeingWith(nat.name(), OURS_SAMPLE).warmUp(() -> {
            pipelines.query(spark, nativeWarmUp, 1, ctx.workDir().resolve("warmup-native"), pipelines::nativeSliding);
            for (int round = 0; round < SlidingWindowBench.WARM_UP_ROUNDS; round++) {
                pipelines.query(spark, warmUp, 1, ctx.workDir().resolve("warmup-ours-" + round), pipelines::paneBased);
                pipelines.query(spark, warmUp, 1, ctx.workDir().resolve("warmup-tumbling-" + round), pipelines::nativeTumbling);
            }
        }).figures(runs -> figures(runs.get("ours"), runs.get("native"), runs.get("tumbling"), runs.get(OURS_SAMPLE)));
    }

    private static Map<String, Object> figures(List<Measured> ours, List<Measured> nat, List<Measured> tumbling,
                                               List<Measured> oursSample) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("events", ours.get(ours.size() - 1).events());
        f.put("native_sample_events", nat.get(nat.size() - 1).events());
        f.put("note_ratio_on_sample", Protocol.medianRatio(oursSample, nat));
        f.put("note_ours_vs_tumbling", Protocol.medianRatio(ours, tumbling));
        f.put("note_state_rows_ratio_on_sample", SlidingWindowBench.stateRowsRatio(oursSample, nat));
        return f;
    }

    /** Whole hours as hours ({@code 24h}, where {@link Durations#format} says {@code 1d}), anything else as Durations does. */
    private static String hours(Duration d) {
        return !d.isZero() && d.toMinutesPart() == 0 && d.toSecondsPart() == 0 && d.toMillisPart() == 0
                ? d.toHours() + "h" : Durations.format(d);
    }
}
