package io.streampatterns.bench.sessions;

import io.streampatterns.apps.ingest.BuiltinSchemas;
import io.streampatterns.bench.BenchContext;
import io.streampatterns.bench.BenchData;
import io.streampatterns.bench.BenchResult;
import io.streampatterns.bench.Benchmark;
import io.streampatterns.bench.Timing;
import io.streampatterns.core.EmitMode;
import io.streampatterns.core.EventTime;
import io.streampatterns.sessions.SessionOptions;
import io.streampatterns.sessions.SessionRules;
import io.streampatterns.sessions.Sessionizer;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.StructType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.session_window;

/**
 * {@code sessions-gap}: the Sessionizer with the gap rule only (5 minutes) vs Spark's {@code session_window} +
 * {@code groupBy} on the same generated clickstream, both append mode, 10-minute watermark, one input file per
 * micro-batch. Agreement: same number of sessions and same total of events in them. Also reports the state rows of
 * each (peak and at the end: bounded, not growing with the number of past sessions) and the Sessionizer with all
 * rules on. Full size: 10M events (so that bounded state is shown over at least that many), in 20 files; quick: 300k.
 */
public final class SessionsGapBench implements Benchmark {
    private static final Duration GAP = Duration.ofMinutes(5);

    @Override
    public String name() {
        return "sessions-gap";
    }

    @Override
    public String description() {
        return "Sessionizer (gap rule, then all rules) vs session_window + groupBy, same clickstream";
    }

    @Override
    public BenchResult run(BenchContext ctx) throws Exception {
        long events = ctx.events(10_000_000, 300_000);
        Path input = BenchData.clickstream(ctx.workDir().getParent().resolve("clickstream-" + events + "-f"), events,
                events / 20);
        SparkSession spark = ctx.spark();
        StructType schema = BuiltinSchemas.resolve("clickstream", null, null).fields();
        UnaryOperator<Dataset<Row>> native_ = w -> w.groupBy(w.col("user_id"), session_window(w.col("ts"), "5 minutes"))
                .agg(count("*").alias("event_count"));
        // the input carries its watermark (run below), which the sessionizer uses
        SessionOptions sessions = SessionOptions.of("user_id", EventTime.upstream("ts")).emit(EmitMode.APPEND);
        UnaryOperator<Dataset<Row>> gapOnly = Sessionizer.of(sessions.rules(SessionRules.gap(GAP)))::apply;
        UnaryOperator<Dataset<Row>> allRules = Sessionizer.of(sessions.rules(SessionRules.gap(GAP)
                .withMaxDuration(Duration.ofHours(2)).withCloseWhen("type = 'logout'").withSplitAtMidnight("UTC")
                .withSplitOn("campaign")))::apply;
        Run nat = run(spark, input, schema, native_, ctx.workDir().resolve("native"));
        Run ours = run(spark, input, schema, gapOnly, ctx.workDir().resolve("ours"));
        Run all = run(spark, input, schema, allRules, ctx.workDir().resolve("all"));
        return BenchResult.of(name(), Timing.eps(events, ours.seconds), Timing.eps(events, nat.seconds),
                        ours.sessions == nat.sessions && ours.events == nat.events)
                .with("events", events)
                .with("sessions", ours.sessions)
                .with("all_rules_eps", Math.round(Timing.eps(events, all.seconds)))
                .with("all_rules_sessions", all.sessions)
                .with("ours_state_rows_peak", ours.peakState)
                .with("ours_state_rows_end", ours.endState)
                .with("native_state_rows_peak", nat.peakState)
                .with("native_state_rows_end", nat.endState);
    }

    private static Run run(SparkSession spark, Path input, StructType schema, UnaryOperator<Dataset<Row>> sessions,
                           Path dir) throws Exception {
        Dataset<Row> in = spark.readStream().schema(schema).option("maxFilesPerTrigger", 1).json(input.toString());
        Dataset<Row> w = in.withWatermark("ts", "10 minutes");
        AtomicLong rows = new AtomicLong();
        AtomicLong evs = new AtomicLong();
        VoidFunction2<Dataset<Row>, Long> tally = (batch, id) -> {
            Row r = batch.selectExpr("count(*)", "coalesce(sum(event_count), 0)").first();
            rows.addAndGet(r.getLong(0));
            evs.addAndGet(r.getLong(1));
        };
        StreamingQuery[] q = new StreamingQuery[1];
        double seconds = Timing.seconds(() -> {
            q[0] = sessions.apply(w).writeStream().outputMode("append")
                    .option("checkpointLocation", dir.resolve("ckpt").toString())
                    .trigger(Trigger.AvailableNow()).foreachBatch(tally).start();
            q[0].awaitTermination();
            return null;
        });
        long peak = 0;
        for (StreamingQueryProgress p : q[0].recentProgress()) {
            peak = Math.max(peak, state(p));
        }
        return new Run(seconds, rows.get(), evs.get(), peak, state(q[0].lastProgress()));
    }

    private static long state(StreamingQueryProgress p) {
        return p == null ? 0 : Arrays.stream(p.stateOperators()).mapToLong(s -> s.numRowsTotal()).sum();
    }

    private static final class Run {
        final double seconds;
        final long sessions;
        final long events;
        final long peakState;
        final long endState;

        Run(double seconds, long sessions, long events, long peakState, long endState) {
            this.seconds = seconds;
            this.sessions = sessions;
            this.events = events;
            this.peakState = peakState;
            this.endState = endState;
        }
    }
}
