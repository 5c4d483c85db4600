package io.streampatterns.bench.sessions;

import io.streampatterns.apps.ingest.BuiltinSchemas;
import io.streampatterns.bench.BenchContext;
import io.streampatterns.bench.BenchData;
import io.streampatterns.bench.Benchmark;
import io.streampatterns.bench.Digests;
import io.streampatterns.bench.Measured;
import io.streampatterns.bench.Plan;
import io.streampatterns.bench.Side;
import io.streampatterns.core.EmitMode;
import io.streampatterns.core.EventTime;
import io.streampatterns.sessions.SessionOptions;
import io.streampatterns.sessions.SessionRules;
import io.streampatterns.sessions.Sessionizer;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.StructType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.session_window;

/**
 * {@code sessions-gap}: the Sessionizer with the gap rule only (5 minutes) vs Spark's {@code session_window} +
 * {@code groupBy} on the same generated clickstream, both append mode, 10-minute watermark, one input file per
 * micro-batch; a third side, the Sessionizer with all rules on, is reported beside them (it cuts sessions
 * differently, so it does not have to agree). Agreement by content: the same sessions (key, start, end, events), as
 * a digest the sink adds up per micro-batch. Side figures: state rows at their peak and at the end (bounded, not
 * growing with the number of past sessions), sessions. Full size: 10M events (so that bounded state is shown over
 * at least that many), in 20 files; quick: 300k.
 */
public final class SessionsGapBench implements Benchmark {
    private static final Duration GAP = Duration.ofMinutes(5);
    private static final long WARM_UP_EVENTS = 20_000;
    private static final String[] OURS_COLUMNS = {"key", "session_start", "session_end", "event_count"};
    private static final String[] NATIVE_COLUMNS = {"user_id", "session_window.start", "session_window.end", "event_count"};

    @Override
    public String name() {
        return "sessions-gap";
    }

    @Override
    public String description() {
        return "Sessionizer (gap rule, then all rules) vs session_window + groupBy, same clickstream";
    }

    @Override
    public Plan plan(BenchContext ctx) {
        long events = ctx.events(10_000_000, 300_000);
        Path input = BenchData.clickstream(ctx.workDir().getParent().resolve("clickstream-" + events + "-f"), events,
                events / 20);
        Path small = BenchData.clickstream(ctx.workDir().getParent().resolve("clickstream-" + WARM_UP_EVENTS + "-f"),
                WARM_UP_EVENTS, WARM_UP_EVENTS / 4);
        SparkSession spark = ctx.spark();
        StructType schema = BuiltinSchemas.resolve("clickstream", null, null).fields();
        // the input carries its watermark (run below), which the sessionizer uses
        SessionOptions sessions = SessionOptions.of("user_id", EventTime.upstream("ts")).emit(EmitMode.APPEND);
        UnaryOperator<Dataset<Row>> gapOnly = Sessionizer.of(sessions.rules(SessionRules.gap(GAP)))::apply;
        UnaryOperator<Dataset<Row>> allRules = Sessionizer.of(sessions.rules(SessionRules.gap(GAP)
                .withMaxDuration(Duration.ofHours(2)).withCloseWhen("type = 'logout'").withSplitAtMidnight("UTC")
                .withSplitOn("campaign")))::apply;
        UnaryOperator<Dataset<Row>> nat = w -> w.groupBy(w.col("user_id"), session_window(w.col("ts"), "5 minutes"))
                .agg(count("*").alias("event_count"));
        Side ours = Side.of("ours", rep -> run(spark, input, schema, gapOnly, OURS_COLUMNS, ctx.runDir("ours", rep)));
        Side nativeSide = Side.of("native", rep -> run(spark, input, schema, nat, NATIVE_COLUMNS, ctx.runDir("native", rep)));
        Side all = Side.of("all_rules", rep -> run(spark, input, schema, allRules, OURS_COLUMNS, ctx.runDir("all_rules", rep)));
        return Plan.of(ours, nativeSide, all).agreeing(nativeSide.name()).warmUp(() -> {
            run(spark, small, schema, gapOnly, OURS_COLUMNS, ctx.runDir("ours", -1));
            run(spark, small, schema, nat, NATIVE_COLUMNS, ctx.runDir("native", -1));
            run(spark, small, schema, allRules, OURS_COLUMNS, ctx.runDir("all_rules", -1));
        }).figures(runs -> {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("events", events);
            Map<String, Object> o = runs.get("ours").get(runs.get("ours").size() - 1).figures();
            Map<String, Object> n = runs.get("native").get(runs.get("native").size() - 1).figures();
            f.put("note_sessions", o.get("sessions"));
            f.put("note_state_rows_peak", String.format(Locale.ROOT, "%,d vs %,d", o.get("state_rows_peak"),
                    n.get("state_rows_peak")));
            return f;
        });
    }

    /**
     * Runs {@code sessions} over the files of {@code input} (one per micro-batch) to its end and measures it: the
     * events read, the digest of the sessions over {@code columns} (key, start, end, events), state rows.
     */
    private static Measured run(SparkSession spark, Path input, StructType schema, UnaryOperator<Dataset<Row>> sessions,
                                String[] columns, Path dir) throws Exception {
        Dataset<Row> in = spark.readStream().schema(schema).option("maxFilesPerTrigger", 1).json(input.toString());
        Dataset<Row> w = in.withWatermark("ts", "10 minutes");
        Column[] c = Arrays.stream(columns).map(functions::col).toArray(Column[]::new);
        Digests.Sum digest = new Digests.Sum();
        VoidFunction2<Dataset<Row>, Long> sink = (batch, id) -> digest.add(batch, c);
        Measured.Stopwatch watch = new Measured.Stopwatch();
        StreamingQuery q = watch.time(() -> {
            StreamingQuery s = sessions.apply(w).writeStream().outputMode("append")
                    .option("checkpointLocation", dir.resolve("ckpt").toString())
                    .trigger(Trigger.AvailableNow()).foreachBatch(sink).start();
            s.awaitTermination();
            return s;
        });
        long events = 0;
        long peak = 0;
        for (StreamingQueryProgress p : q.recentProgress()) {
            events += p.numInputRows();
            peak = Math.max(peak, state(p));
        }
        return watch.measured(events).digest(digest.digest()).with("sessions", digest.rows())
                .with("state_rows_peak", peak).with("state_rows_end", state(q.lastProgress()));
    }

    private static long state(StreamingQueryProgress p) {
        return p == null ? 0 : Arrays.stream(p.stateOperators()).mapToLong(s -> s.numRowsTotal()).sum();
    }
}
