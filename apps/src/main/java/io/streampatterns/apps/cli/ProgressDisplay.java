package io.streampatterns.apps.cli;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live progress of the running queries: on a terminal one line rewritten in place, otherwise one log line per
 * micro-batch. Shows batch id, rows in (the observed metric field {@code rows} when a query has one: file sources count
 * files), rows/s, watermark and quarantined rows (the observed metric field {@code quarantined}, summed over the run).
 */
public final class ProgressDisplay extends StreamingQueryListener {
    private final PrintStream out;
    private final boolean terminal;
    private final Map<String, String> lines = new ConcurrentHashMap<>();
    private final AtomicLong quarantined = new AtomicLong();
    private final AtomicLong rows = new AtomicLong();

    public ProgressDisplay(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** A display on stderr, in place when stderr is a terminal. */
    public static ProgressDisplay onStderr() {
        return new ProgressDisplay(System.err, System.console() != null);
    }

    @Override
    public void onQueryStarted(QueryStartedEvent event) {
    }

    @Override
    public void onQueryProgress(QueryProgressEvent event) {
        StreamingQueryProgress p = event.progress();
        long records = p.numInputRows();
        for (Row r : p.observedMetrics().values()) {
            java.util.List<String> names = java.util.Arrays.asList(r.schema().fieldNames());
            int q = names.indexOf("quarantined");
            if (q >= 0 && !r.isNullAt(q)) {
                quarantined.addAndGet(((Number) r.get(q)).longValue());
            }
            int n = names.indexOf("rows");
            if (n >= 0 && !r.isNullAt(n)) {
                records = ((Number) r.get(n)).longValue();  // records, where the source counts files
            }
        }
        rows.addAndGet(records);
        double seconds = p.durationMs().containsKey("triggerExecution") ? p.durationMs().get("triggerExecution") / 1000.0 : 0;
        double rate = seconds > 0 ? records / seconds : 0;
        String name = p.name() == null ? p.id().toString().substring(0, 8) : p.name();
        String wm = p.eventTime().get("watermark");
        String line = String.format(Locale.ROOT, "%s batch %d: %d rows in, %.0f rows/s, watermark %s, quarantined %d (total)",
                name, p.batchId(), records, rate, wm == null ? "-" : wm, quarantined.get());
        lines.put(name, line);
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

    @Override
    public void onQueryTerminated(QueryTerminatedEvent event) {
        if (terminal) {
            out.println();
        }
    }

    public long totalRows() {
        return rows.get();
    }

    public long totalQuarantined() {
        return quarantined.get();
    }
}
