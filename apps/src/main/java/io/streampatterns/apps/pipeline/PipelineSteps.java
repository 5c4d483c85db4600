package io.streampatterns.apps.pipeline;

import io.streampatterns.aggregate.Aggregate;
import io.streampatterns.aggregate.AggregateList;
import io.streampatterns.apps.sessions.SessionsApp;
import io.streampatterns.core.ConfigException;
import io.streampatterns.core.Durations;
import io.streampatterns.core.EmitMode;
import io.streampatterns.core.EventTime;
import io.streampatterns.core.Step;
import io.streampatterns.dedup.Dedup;
import io.streampatterns.globalagg.GlobalStats;
import io.streampatterns.sessions.SessionOptions;
import io.streampatterns.sessions.SessionRules;
import io.streampatterns.windows.PaneWindowAggregation;
import io.streampatterns.windows.PaneWindowOptions;
import io.streampatterns.windows.SlidingWindow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The patterns a pipeline's overlay can apply to a table (named steps): each turns the options written in
 * {@code streampatterns.yml} into the library's {@link Step}, the same one the Java apps use, so a pipeline step and
 * its Java counterpart give the same rows.
 *
 * <ul>
 *   <li>{@code sessions}: the sessionizer with the sessions table's columns ({@code SessionsApp}): {@code key},
 *       {@code time}, {@code watermark} (omit it when the query declares one with {@code WATERMARK}), {@code gap},
 *       optional {@code max-duration}, {@code close-when}, {@code split-on}, {@code split-at-midnight}, {@code page},
 *       {@code campaign}, {@code amount}, {@code mode: append}.</li>
 *   <li>{@code dedup}: the first row of each {@code id} within the watermark: {@code id}, {@code time},
 *       {@code watermark}.</li>
 *   <li>{@code windows}: the pane-based window aggregation, several lengths in one pass: {@code key} (columns,
 *       comma-separated), {@code time}, {@code watermark}, {@code windows} (e.g. {@code "1m, 5m/1m, 1h/1m"}),
 *       {@code aggregates} ({@link AggregateList}, e.g. {@code "count as requests, sum(size) as bytes"}),
 *       {@code mode}: {@code append} (each window written once, when the watermark passes its end) or {@code update}
 *       (every changed window upserted on the keys and its bounds).</li>
 *   <li>{@code stats}: all-time statistics per key with TTL-pruned state ({@code GlobalStats}, as {@code stats} writes
 *       them): {@code key}, {@code time}, {@code watermark}, {@code ttl}, optional {@code sums} (columns,
 *       comma-separated) and {@code session-start}; upserted on (key, {@code active_since}).</li>
 * </ul>
 *
 * <p>A step in update mode names the columns its rows are upserted on ({@link PipelineStep#upsertKeys()}).</p>
 */
public final class PipelineSteps {
    public static final List<String> NAMES = List.of("sessions", "dedup", "windows", "stats");
    private static final Map<String, Set<String>> OPTIONS = Map.of(
            "sessions", Set.of("key", "time", "watermark", "gap", "max-duration", "close-when", "split-on",
                    "split-at-midnight", "page", "campaign", "amount", "mode"),
            "dedup", Set.of("id", "time", "watermark"),
            "windows", Set.of("key", "time", "watermark", "windows", "aggregates", "mode"),
            "stats", Set.of("key", "time", "watermark", "ttl", "sums", "session-start"));

    private PipelineSteps() {
    }

    /**
     * A pattern's step as a pipeline writes its rows: appended, or (update mode) upserted on {@code upsertKeys}.
     */
    public record PipelineStep(Step step, List<String> upsertKeys) {
        public PipelineStep {
            ConfigException.check(step.emitMode() == EmitMode.APPEND || !upsertKeys.isEmpty(),
                    step.name() + ": a step in update mode needs the columns its rows are upserted on");
            upsertKeys = List.copyOf(upsertKeys);
        }

        static PipelineStep appending(Step step) {
            return new PipelineStep(step, List.of());
        }
    }

    /** The step {@code spec} describes; a {@link ConfigException} names the option that is wrong. */
    public static PipelineStep of(Overlay.StepSpec spec) {
        Set<String> known = OPTIONS.get(spec.pattern());
        ConfigException.check(known != null, "unknown pattern '" + spec.pattern() + "'");
        for (String k : spec.options().keySet()) {
            ConfigException.check(known.contains(k), spec.pattern() + ": unknown option '" + k + "' (options: " + known + ")");
        }
        Map<String, String> o = new HashMap<>(spec.options());
        return switch (spec.pattern()) {
            case "sessions" -> PipelineStep.appending(sessions(spec.table(), o));
            case "dedup" -> PipelineStep.appending(Dedup.of(Dedup.Options.of(required(o, "id"), eventTime(o))));
            case "windows" -> windows(spec.table(), o);
            case "stats" -> stats(o);
            default -> throw new ConfigException("unknown pattern '" + spec.pattern() + "'");
        };
    }

    private static Step sessions(String table, Map<String, String> o) {
        EmitMode mode = EmitMode.parse(o.getOrDefault("mode", "append"));
        ConfigException.check(mode == EmitMode.APPEND, "sessions: mode update is not run by pipelines yet (use mode: append)");
        SessionRules rules = SessionRules.gap(Durations.parsePositive(required(o, "gap"), "gap"));
        if (o.containsKey("max-duration")) {
            rules = rules.withMaxDuration(Durations.parsePositive(o.get("max-duration"), "max-duration"));
        }
        if (o.containsKey("close-when")) {
            rules = rules.withCloseWhen(o.get("close-when"));
        }
        if (o.containsKey("split-on")) {
            rules = rules.withSplitOn(o.get("split-on"));
        }
        if (o.containsKey("split-at-midnight")) {
            rules = rules.withSplitAtMidnight(o.get("split-at-midnight"));
        }
        SessionOptions options = SessionOptions.of(required(o, "key"), eventTime(o)).rules(rules).emit(mode);
        SessionsApp.Options app = SessionsApp.Options.of(options, null)
                .withColumns(o.get("page"), o.get("campaign"), o.get("amount"));
        return Step.of("sessions:" + table, in -> SessionsApp.build(in.sparkSession(), in, app));
    }

    private static PipelineStep windows(String table, Map<String, String> o) {
        EmitMode mode = EmitMode.parse(o.getOrDefault("mode", "append"));
        List<SlidingWindow> windows = Arrays.stream(required(o, "windows").split(","))
                .map(w -> SlidingWindow.parse(w, "windows")).toList();
        String[] keys = Arrays.stream(required(o, "key").split(",")).map(String::strip).toArray(String[]::new);
        PaneWindowOptions options = PaneWindowOptions.of(windows).keyedBy(keys).eventTime(eventTime(o))
                .aggregates(AggregateList.parse(required(o, "aggregates")).toArray(Aggregate<?>[]::new))
                .emit(mode).metricName("windows_" + table);
        List<String> upsertKeys = new ArrayList<>(List.of(keys));
        upsertKeys.addAll(List.of("window_start", "window_end"));
        return new PipelineStep(PaneWindowAggregation.of(options), mode == EmitMode.UPDATE ? upsertKeys : List.of());
    }

    private static PipelineStep stats(Map<String, String> o) {
        GlobalStats.Options options = GlobalStats.Options.of(required(o, "key"), eventTime(o))
                .withTtl(Durations.parsePositive(required(o, "ttl"), "ttl"));
        if (o.containsKey("sums")) {
            options = options.withSums(Arrays.stream(o.get("sums").split(",")).map(String::strip).toArray(String[]::new));
        }
        if (o.containsKey("session-start")) {
            options = options.withSessionStarts(o.get("session-start"));
        }
        return new PipelineStep(GlobalStats.of(options), options.sinkKeys());
    }

    private static EventTime eventTime(Map<String, String> o) {
        String time = required(o, "time");
        String watermark = o.get("watermark");
        return watermark == null ? EventTime.upstream(time) : EventTime.of(time, Durations.parsePositive(watermark, "watermark"));
    }

    private static String required(Map<String, String> o, String key) {
        String v = o.get(key);
        ConfigException.check(v != null && !v.isBlank(), "option '" + key + "' is required");
        return v;
    }
}
