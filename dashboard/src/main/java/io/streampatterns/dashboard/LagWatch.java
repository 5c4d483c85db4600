package io.streampatterns.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Watches the successive progress reports of one streaming query and warns, with the numbers, when it
 * <ul>
 *   <li>falls behind: at least {@link WatchOptions#behindBatches() N} batches in a row took longer than the trigger
 *       interval, or took in rows faster than they processed them (rows over the time between the starts of two
 *       batches above {@link WatchOptions#rateRatio() ratio} times {@code processedRowsPerSecond});</li>
 *   <li>grows its state unchecked: {@code numRowsTotal} grew in at least {@link WatchOptions#stateBatches() M} batches
 *       in a row, over at least {@link WatchOptions#stateSpan() a span}, while the watermark stayed where it was (or
 *       there is none) or nothing was evicted ({@code numRowsRemoved} 0).</li>
 * </ul>
 * Both are runs that the newest batch continues or breaks, not a window sliding over the last batches: a warning
 * holds exactly as long as its condition and clears at the first batch that breaks it, never because its oldest
 * batch left a window.
 * Immutable: {@link #next} gives the watch after one more report; {@link #changes()} says which warnings that report
 * raised or cleared (to print each once), {@link #warnings()} which hold now. A report of a batch already seen (Spark
 * repeats the last progress while idle) changes nothing.
 */
public final class LagWatch {
    /** A warning that one report raised, or cleared ({@code warning.message()} then says so, with the numbers). */
    public record Change(QueryWarning warning, boolean cleared) {
        /** The line to print: {@code warning: MESSAGE} or {@code cleared: MESSAGE}. */
        public String line() {
            return (cleared ? "cleared: " : "warning: ") + warning.message();
        }
    }

    /** The figures of one batch the rules use. */
    record Batch(long id, Instant at, Long durationMs, Double inputRate, Double processedRate, Instant watermark,
                 boolean stateful, long stateRows, long removed) {
        /**
         * The batch of report {@code p}; its input rate is its rows over the time since {@code prev}'s start (null for
         * the first). Not Spark's {@code inputRowsPerSecond}: that counts from the last trigger, which for a query
         * waiting for data is an empty poll a moment (10 ms with no trigger interval) before the batch, so a burst after
         * a wait reads as input far faster than processing, which a query that was waiting is not.
         */
        static Batch of(JsonNode p, Batch prev) {
            JsonNode d = p.get("durationMs");
            Long duration = d != null && d.has("triggerExecution") ? Long.valueOf(Json.count(d, "triggerExecution"))
                    : p.has("batchDuration") ? Long.valueOf(Json.count(p, "batchDuration")) : null;
            JsonNode ops = p.get("stateOperators");
            long rows = 0;
            long removed = 0;
            if (ops != null) {
                for (JsonNode op : ops) {
                    rows += Json.count(op, "numRowsTotal");
                    removed += Json.count(op, "numRowsRemoved");
                }
            }
            Instant mark = Json.instant(p.get("eventTime"), "watermark");
            // Spark reports the epoch until the first event time arrives: no watermark yet
            Instant at = Json.instant(p, "timestamp");
            Double input = prev == null || prev.at() == null || at == null || !at.isAfter(prev.at()) ? null
                    : Json.count(p, "numInputRows") * 1000.0 / Duration.between(prev.at(), at).toMillis();
            return new Batch(Json.count(p, "batchId"), at, duration, input, Json.number(p, "processedRowsPerSecond"),
                    Instant.EPOCH.equals(mark) ? null : mark, ops != null && !ops.isEmpty(), rows, removed);
        }
    }

    /** The current run of growing state: from batch {@code first} (before the first growth), {@code batches} with it. */
    record Growth(Batch first, int batches, long evicted) {
        static Growth after(Growth run, Batch prev, Batch b) {
            if (prev == null || !b.stateful() || b.stateRows() <= prev.stateRows()) {
                return new Growth(b, 1, 0);
            }
            // the run so far ends at prev (a run of 1 is prev itself): b continues it
            return new Growth(run.first(), run.batches() + 1, run.evicted() + b.removed());
        }
    }

    private final WatchOptions options;
    private final String query;
    private final List<Batch> recent;
    private final int slowRun;
    private final int outpacedRun;
    private final Growth growth;
    private final List<QueryWarning> warnings;
    private final List<Change> changes;

    private LagWatch(WatchOptions options, String query, List<Batch> recent, int slowRun, int outpacedRun, Growth growth,
                     List<QueryWarning> warnings, List<Change> changes) {
        this.options = options;
        this.query = query;
        this.recent = List.copyOf(recent);
        this.slowRun = slowRun;
        this.outpacedRun = outpacedRun;
        this.growth = growth;
        this.warnings = List.copyOf(warnings);
        this.changes = List.copyOf(changes);
    }

    /** A watch of query {@code query} (its name, or id when unnamed, as the messages show it) that has seen no report. */
    public static LagWatch of(WatchOptions options, String query) {
        return new LagWatch(Objects.requireNonNull(options, "options"), Objects.requireNonNull(query, "query"),
                List.of(), 0, 0, null, List.of(), List.of());
    }

    public LagWatch next(StreamingQueryProgress progress) {
        return next(Json.parse(progress.json()));
    }

    /** The watch after one more {@code StreamingQueryProgress.json()} report. */
    public LagWatch next(JsonNode progress) {
        Batch prev = recent.isEmpty() ? null : recent.get(recent.size() - 1);
        Batch b = Batch.of(progress, prev);
        if (prev != null && b.id() <= prev.id()) {
            return new LagWatch(options, query, recent, slowRun, outpacedRun, growth, warnings, List.of());
        }
        List<Batch> kept = new ArrayList<>(recent);
        kept.add(b);
        List<Batch> window = kept.subList(Math.max(0, kept.size() - options.behindBatches()), kept.size());
        long trigger = options.triggerInterval().toMillis();
        boolean slow = options.hasTriggerInterval() && b.durationMs() != null && b.durationMs() > trigger;
        boolean outpaced = b.inputRate() != null && b.processedRate() != null && b.inputRate() > 0
                && b.inputRate() > b.processedRate() * options.rateRatio();
        int slows = slow ? slowRun + 1 : 0;
        int outpacings = outpaced ? outpacedRun + 1 : 0;
        Growth grown = growth == null ? new Growth(b, 1, 0) : Growth.after(growth, prev, b);
        List<QueryWarning> now = new ArrayList<>();
        QueryWarning behind = fallsBehind(window, slows, outpacings);
        if (behind != null) {
            now.add(behind);
        }
        QueryWarning grows = stateGrows(grown, b);
        if (grows != null) {
            now.add(grows);
        }
        return new LagWatch(options, query, window, slows, outpacings, grown, now, changes(now, b));
    }

    /**
     * The watch after Spark's report that the query waits for data ({@code onQueryIdle}): it has caught up, so it
     * falls behind no more (its state, which no batch changes while idle, is judged by the next batch).
     */
    public LagWatch idle() {
        QueryWarning behind = find(warnings, QueryWarning.Kind.FALLS_BEHIND);
        if (behind == null) {
            return new LagWatch(options, query, recent, 0, 0, growth, warnings, List.of());
        }
        List<QueryWarning> now = warnings.stream().filter(w -> w != behind).toList();
        QueryWarning cleared = new QueryWarning(QueryWarning.Kind.FALLS_BEHIND, query,
                query + " no longer falls behind: it caught up and waits for data");
        return new LagWatch(options, query, recent, 0, 0, growth, now, List.of(new Change(cleared, true)));
    }

    /** The warnings that hold after the last report. */
    public List<QueryWarning> warnings() {
        return warnings;
    }

    /** The warnings the last report raised or cleared (none for a repeated report). */
    public List<Change> changes() {
        return changes;
    }

    public WatchOptions options() {
        return options;
    }

    private List<Change> changes(List<QueryWarning> now, Batch last) {
        List<Change> out = new ArrayList<>();
        for (QueryWarning w : now) {
            if (find(warnings, w.kind()) == null) {
                out.add(new Change(w, false));
            }
        }
        for (QueryWarning w : warnings) {
            if (find(now, w.kind()) == null) {
                out.add(new Change(new QueryWarning(w.kind(), query, cleared(w.kind(), last)), true));
            }
        }
        return out;
    }

    private static QueryWarning find(List<QueryWarning> list, QueryWarning.Kind kind) {
        return list.stream().filter(w -> w.kind() == kind).findFirst().orElse(null);
    }

    private QueryWarning fallsBehind(List<Batch> window, int slows, int outpacings) {
        int n = options.behindBatches();
        boolean slow = slows >= n;
        boolean outpaced = outpacings >= n;
        if (!slow && !outpaced) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        if (slow) {
            parts.add("batch durations " + window.stream().map(b -> seconds(b.durationMs())).collect(Collectors.joining(", "))
                    + " > trigger " + seconds(options.triggerInterval().toMillis()) + " for " + slows + " batches");
        }
        Batch newest = window.get(window.size() - 1);
        if (outpaced) {
            parts.add("input " + rate(newest.inputRate()) + " > processed " + rate(newest.processedRate())
                    + (slow ? "" : " for " + outpacings + " batches"));
        } else if (newest.inputRate() != null && newest.processedRate() != null) {
            parts.add("input " + rate(newest.inputRate()) + ", processed " + rate(newest.processedRate()));
        }
        return new QueryWarning(QueryWarning.Kind.FALLS_BEHIND, query, query + " falls behind: " + String.join("; ", parts));
    }

    private QueryWarning stateGrows(Growth run, Batch newest) {
        Batch first = run.first();
        Duration span = first.at() == null || newest.at() == null ? Duration.ZERO : Duration.between(first.at(), newest.at());
        // the watermark never goes back: the same at both ends of the run means it stayed there all along
        boolean stuck = Objects.equals(first.watermark(), newest.watermark());
        if (run.batches() < options.stateBatches() || span.compareTo(options.stateSpan()) < 0 || (!stuck && run.evicted() > 0)) {
            return null;
        }
        String mark = stuck ? (first.watermark() == null ? " with no watermark" : " while the watermark stays at " + first.watermark())
                : " while the watermark moves " + (first.watermark() == null ? "" : "from " + first.watermark() + " ")
                + "to " + newest.watermark();
        String eviction = run.evicted() == 0 ? "; nothing evicted (numRowsRemoved 0)" : "; " + count(run.evicted()) + " rows evicted";
        return new QueryWarning(QueryWarning.Kind.STATE_GROWS, query, query + " state grows: " + count(first.stateRows())
                + " → " + count(newest.stateRows()) + " rows over " + run.batches() + " batches (" + span(span) + ")"
                + mark + eviction);
    }

    private String cleared(QueryWarning.Kind kind, Batch b) {
        if (kind == QueryWarning.Kind.FALLS_BEHIND) {
            String took = b.durationMs() == null ? "" : " took " + seconds(b.durationMs())
                    + (options.hasTriggerInterval() ? " (trigger " + seconds(options.triggerInterval().toMillis()) + ")" : "");
            String rates = b.inputRate() == null || b.processedRate() == null ? ""
                    : "; input " + rate(b.inputRate()) + ", processed " + rate(b.processedRate());
            return query + " no longer falls behind: batch " + b.id() + took + rates;
        }
        return query + " state no longer grows unchecked: " + count(b.stateRows()) + " rows at batch " + b.id()
                + (b.removed() > 0 ? ", " + count(b.removed()) + " rows evicted" : "")
                + (b.watermark() == null ? "" : ", watermark " + b.watermark());
    }

    /** 950 ms, 10 s, 12.4 s, 1.049 s: exact, so a duration just above the trigger never reads as equal to it. */
    static String seconds(long ms) {
        return ms < 1000 ? ms + " ms" : BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString() + " s";
    }

    static String rate(double rowsPerSecond) {
        return String.format(Locale.US, rowsPerSecond >= 100 ? "%,.0f rows/s" : "%,.1f rows/s", rowsPerSecond);
    }

    static String count(long n) {
        return String.format(Locale.US, "%,d", n);
    }

    /** 45 s, 2 min 3 s, 1 h 5 min. */
    static String span(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return s / 60 + " min" + (s % 60 == 0 ? "" : " " + s % 60 + " s");
        }
        return s / 3600 + " h" + (s % 3600 / 60 == 0 ? "" : " " + s % 3600 / 60 + " min");
    }
}
