package io.streampatterns.apps.cli;

import io.streampatterns.dashboard.LagWatch;
import io.streampatterns.dashboard.WatchOptions;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live progress of the running queries: on a terminal one line rewritten in place, otherwise one log line per
 * micro-batch. Shows batch id, records in (file sources count lines, Kafka sources values), records/s, watermark and
 * quarantined records (the observed metric fields {@code quarantined} of the query, summed over the run).
 * A {@link LagWatch} per query adds its warnings (falls behind, state grows) as lines of their own, each once when it
 * starts and once when it clears: they stay on screen while the progress line goes on being rewritten.
 */
public final class ProgressDisplay extends StreamingQueryListener {
    private final PrintStream out;
    private final boolean terminal;
    private final Map<String, String> lines = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> quarantined = new ConcurrentHashMap<>();
    private final AtomicLong rows = new AtomicLong();
    private final Map<String, LagWatch> watches = new ConcurrentHashMap<>();
    private final WatchOptions watch;

    /** A display whose warnings judge the queries by {@code watch} (their trigger interval and thresholds). */
    public ProgressDisplay(PrintStream out, boolean terminal, WatchOptions watch) {
        this.out = out;
        this.terminal = terminal;
        this.watch = Objects.requireNonNull(watch, "watch");
    }

    /** A display on stderr, in place when stderr is a terminal. */
    public static ProgressDisplay onStderr(WatchOptions watch) {
        return new ProgressDisplay(System.err, System.console() != null, watch);
    }

    @Override
    public void onQueryStarted(QueryStartedEvent event) {
    }

    @Override
    public void onQueryProgress(QueryProgressEvent event) {
        StreamingQueryProgress p = event.progress();
        String name = p.name() == null ? p.id().toString().substring(0, 8) : p.name();
        AtomicLong bad = quarantined.computeIfAbsent(name, n -> new AtomicLong());
        long records = p.numInputRows();
        for (Row r : p.observedMetrics().values()) {
            int q = java.util.Arrays.asList(r.schema().fieldNames()).indexOf("quarantined");
            if (q >= 0 && !r.isNullAt(q)) {
                bad.addAndGet(((Number) r.get(q)).longValue());
            }
        }
        rows.addAndGet(records);
        double seconds = p.durationMs().containsKey("triggerExecution") ? p.durationMs().get("triggerExecution") / 1000.0 : 0;
        double rate = seconds > 0 ? records / seconds : 0;
        String wm = p.eventTime().get("watermark");
        String line = String.format(Locale.ROOT, "%s batch %d: %d records in, %.0f records/s, watermark %s, quarantined %d (total)",
                name, p.batchId(), records, rate, wm == null ? "-" : wm, bad.get());
        lines.put(name, line);
        LagWatch w = watches.compute(p.id().toString(), (id, old) -> (old == null ? LagWatch.of(watch, name) : old).next(p));
        for (LagWatch.Change c : w.changes()) {
            // on a terminal: over the progress line, which is drawn again below it
            out.println((terminal ? "\r" : "") + c.line() + (terminal ? "\u001b[K" : ""));
        }
        if (terminal) {
            StringBuilder all = new StringBuilder();
            lines.values().forEach(l -> all.append(all.length() == 0 ? "" : " | ").append(l));
            String text = all.length() > 200 ? all.substring(0, 200) : all.toString();
            out.print("\r" + text + "\u001b[K");
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** A query that waits for data has caught up: a falling-behind warning clears. */
    @Override
    public void onQueryIdle(QueryIdleEvent event) {
        LagWatch w = watches.computeIfPresent(event.id().toString(), (id, old) -> old.idle());
        if (w != null && !w.changes().isEmpty()) {
            w.changes().forEach(c -> out.println((terminal ? "\r" : "") + c.line() + (terminal ? "\u001b[K" : "")));
            out.flush();
        }
    }

    @Override
    public void onQueryTerminated(QueryTerminatedEvent event) {
        watches.remove(event.id().toString());
        if (terminal) {
            out.println();
        }
    }

    public long totalRows() {
        return rows.get();
    }

    public long totalQuarantined() {
        return quarantined.values().stream().mapToLong(AtomicLong::get).sum();
    }
}
