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
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Watches the successive progress reports of one streaming query and warns, with the numbers, when it
 * <ul>
 *   <li>falls behind: each of the last {@link WatchOptions#behindBatches() N} batches took longer than the trigger
 *       interval, or took in rows faster than it processed them ({@code inputRowsPerSecond} above
 *       {@link WatchOptions#rateRatio() ratio} times {@code processedRowsPerSecond});</li>
 *   <li>grows its state unchecked: {@code numRowsTotal} grew in each of the last
 *       {@link WatchOptions#stateBatches() M} batches, over at least {@link WatchOptions#stateSpan() a span}, while the
 *       watermark stayed where it was (or there is none) or nothing was evicted ({@code numRowsRemoved} 0).</li>
 * </ul>
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
        static Batch of(JsonNode p) {
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
            return new Batch(Json.count(p, "batchId"), Json.instant(p, "timestamp"), duration,
                    Json.number(p, "inputRowsPerSecond"), Json.number(p, "processedRowsPerSecond"),
                    Json.instant(p.get("eventTime"), "watermark"), ops != null && !ops.isEmpty(), rows, removed);
        }
    }

    private final WatchOptions options;
    private final String query;
    private final List<Batch> recent;
    private final List<QueryWarning> warnings;
    private final List<Change> changes;

    private LagWatch(WatchOptions options, String query, List<Batch> recent, List<QueryWarning> warnings, List<Change> changes) {
        this.options = options;
        this.query = query;
        this.recent = List.copyOf(recent);
        this.warnings = List.copyOf(warnings);
        this.changes = List.copyOf(changes);
    }

    /** A watch of query {@code query} (its name, or id when unnamed, as the messages show it) that has seen no report. */
    public static LagWatch of(WatchOptions options, String query) {
        return new LagWatch(Objects.requireNonNull(options, "options"), Objects.requireNonNull(query, "query"),
                List.of(), List.of(), List.of());
    }

    public LagWatch next(StreamingQueryProgress progress) {
        return next(Json.parse(progress.json()));
    }

    /** The watch after one more {@code StreamingQueryProgress.json()} report. */
    public LagWatch next(JsonNode progress) {
        Batch b = Batch.of(progress);
        if (!recent.isEmpty() && b.id() <= recent.get(recent.size() - 1).id()) {
            return new LagWatch(options, query, recent, warnings, List.of());
        }
        List<Batch> kept = new ArrayList<>(recent);
        kept.add(b);
        int keep = Math.max(options.behindBatches(), options.stateBatches());
        List<Batch> window = kept.subList(Math.max(0, kept.size() - keep), kept.size());
        List<QueryWarning> now = new ArrayList<>();
        QueryWarning behind = fallsBehind(window);
        if (behind != null) {
            now.add(behind);
        }
        QueryWarning grows = stateGrows(window);
        if (grows != null) {
            now.add(grows);
        }
        return new LagWatch(options, query, window, now, changes(now, b));
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

    private QueryWarning fallsBehind(List<Batch> window) {
        int n = options.behindBatches();
        if (window.size() < n) {
            return null;
        }
        List<Batch> last = window.subList(window.size() - n, window.size());
        long trigger = options.triggerInterval().toMillis();
        boolean slow = options.hasTriggerInterval() && all(last, b -> b.durationMs() != null && b.durationMs() > trigger);
        boolean outpaced = all(last, b -> b.inputRate() != null && b.processedRate() != null && b.inputRate() > 0
                && b.inputRate() > b.processedRate() * options.rateRatio());
        if (!slow && !outpaced) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        if (slow) {
            parts.add("batch durations " + last.stream().map(b -> seconds(b.durationMs())).collect(Collectors.joining(", "))
                    + " > trigger " + seconds(trigger) + " for " + n + " batches");
        }
        Batch newest = last.get(n - 1);
        if (outpaced) {
            parts.add("input " + rate(newest.inputRate()) + " > processed " + rate(newest.processedRate())
                    + (slow ? "" : " for " + n + " batches"));
        } else if (newest.inputRate() != null && newest.processedRate() != null) {
            parts.add("input " + rate(newest.inputRate()) + ", processed " + rate(newest.processedRate()));
        }
        return new QueryWarning(QueryWarning.Kind.FALLS_BEHIND, query, query + " falls behind: " + String.join("; ", parts));
    }

    private QueryWarning stateGrows(List<Batch> window) {
        int m = options.stateBatches();
        if (window.size() < m) {
            return null;
        }
        List<Batch> last = window.subList(window.size() - m, window.size());
        for (int i = 0; i < m; i++) {
            if (!last.get(i).stateful() || (i > 0 && last.get(i).stateRows() <= last.get(i - 1).stateRows())) {
                return null;
            }
        }
        Batch first = last.get(0);
        Batch newest = last.get(m - 1);
        Duration span = first.at() == null || newest.at() == null ? Duration.ZERO : Duration.between(first.at(), newest.at());
        boolean stuck = all(last, b -> Objects.equals(b.watermark(), first.watermark()));
        long evicted = last.stream().mapToLong(Batch::removed).sum();
        if (span.compareTo(options.stateSpan()) < 0 || (!stuck && evicted > 0)) {
            return null;
        }
        String mark = stuck ? (first.watermark() == null ? " with no watermark" : " while the watermark stays at " + first.watermark())
                : " while the watermark moves from " + first.watermark() + " to " + newest.watermark();
        String eviction = evicted == 0 ? "; nothing evicted (numRowsRemoved 0)" : "; " + count(evicted) + " rows evicted";
        return new QueryWarning(QueryWarning.Kind.STATE_GROWS, query, query + " state grows: " + count(first.stateRows())
                + " → " + count(newest.stateRows()) + " rows over " + m + " batches (" + span(span) + ")" + mark + eviction);
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

    private static boolean all(List<Batch> batches, Predicate<Batch> p) {
        return batches.stream().allMatch(p);
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
