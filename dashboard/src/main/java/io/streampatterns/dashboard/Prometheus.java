package io.streampatterns.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * Query figures in the Prometheus text exposition format 0.0.4: one gauge (or counter) family per figure, one
 * sample per query labelled {@code query="<name or id>",id="<id>"}. A figure a query does not have (no watermark,
 * no progress yet) gives no sample for that query. {@code _up} is 0 for a stopped query and for one judged stale
 * ({@link QueryFigures#judged}); the alert rules users write are in {@code sample/prometheus/rules.yml}.
 */
public final class Prometheus {
    /** The {@code Content-Type} of the format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final String PREFIX = "streampatterns_query_";

    private Prometheus() {
    }

    public static String exposition(List<QueryFigures> queries) {
        StringBuilder out = new StringBuilder();
        family(out, queries, "up", "gauge", "1 while the query runs and its process gave a sign of life within the stale limit, else 0.",
                q -> q.up() ? 1.0 : 0.0);
        family(out, queries, "active", "gauge", "1 while the query is recorded as running (a killed process cannot record its end: see _up).",
                q -> q.active() ? 1.0 : 0.0);
        family(out, queries, "input_rows_per_second", "gauge", "Rate at which data arrived, in the last batch.",
                QueryFigures::inputRowsPerSecond);
        family(out, queries, "processed_rows_per_second", "gauge", "Rate at which data was processed, in the last batch.",
                QueryFigures::processedRowsPerSecond);
        family(out, queries, "batch_duration_seconds", "gauge", "Duration of the last micro-batch.",
                q -> q.batchDurationMs() == null ? null : q.batchDurationMs() / 1000.0);
        family(out, queries, "watermark_delay_seconds", "gauge", "Newest event time seen minus the event-time watermark.",
                q -> seconds(q.watermarkDelay()));
        family(out, queries, "state_rows", "gauge", "Rows held in state, summed over the stateful operators.",
                q -> (double) q.stateRows());
        family(out, queries, "state_memory_bytes", "gauge", "Memory used by the state stores, summed over the stateful operators.",
                q -> (double) q.stateMemoryBytes());
        family(out, queries, "late_rows_total", "counter", "Rows dropped behind the watermark or counted as late events.",
                q -> (double) q.lateRowsTotal());
        family(out, queries, "last_batch_id", "gauge", "Id of the last micro-batch (-1 before the first).",
                q -> (double) q.batchId());
        family(out, queries, "last_progress_timestamp_seconds", "gauge",
                "Time of the last progress report (a micro-batch, or Spark's idle report while waiting for data), Unix seconds.",
                q -> seconds(q.lastProgress()));
        family(out, queries, "last_heartbeat_timestamp_seconds", "gauge",
                "Time of the last heartbeat of the query's process, Unix seconds.",
                q -> seconds(q.liveness().heartbeat()));
        warnings(out, queries);
        return out.toString();
    }

    /** One sample per query and kind of warning, 1 while it holds: an alert rule needs the 0 to see it clear. */
    private static void warnings(StringBuilder out, List<QueryFigures> queries) {
        String metric = PREFIX + "warning";
        out.append("# HELP ").append(metric).append(' ').append(escapeHelp("1 while the query falls behind (kind=\"falls_behind\")"
                + " or grows its state unchecked (kind=\"state_grows\"), else 0; the message with the numbers is in /api/health."))
                .append('\n');
        out.append("# TYPE ").append(metric).append(" gauge\n");
        for (QueryFigures q : queries) {
            for (QueryWarning.Kind kind : QueryWarning.Kind.values()) {
                boolean on = q.warnings().stream().anyMatch(w -> w.kind() == kind);
                out.append(metric).append("{query=\"").append(escapeLabel(q.label())).append("\",id=\"")
                        .append(escapeLabel(q.id())).append("\",kind=\"").append(kind.label()).append("\"} ")
                        .append(on ? 1 : 0).append('\n');
            }
        }
    }

    private static void family(StringBuilder out, List<QueryFigures> queries, String name, String type, String help,
                               Function<QueryFigures, Double> value) {
        String metric = PREFIX + name;
        out.append("# HELP ").append(metric).append(' ').append(escapeHelp(help)).append('\n');
        out.append("# TYPE ").append(metric).append(' ').append(type).append('\n');
        for (QueryFigures q : queries) {
            Double v = value.apply(q);
            if (v != null) {
                out.append(metric).append("{query=\"").append(escapeLabel(q.label())).append("\",id=\"")
                        .append(escapeLabel(q.id())).append("\"} ").append(number(v)).append('\n');
            }
        }
    }

    private static Double seconds(Duration d) {
        return d == null ? null : d.toMillis() / 1000.0;
    }

    private static Double seconds(Instant t) {
        return t == null ? null : t.toEpochMilli() / 1000.0;
    }

    /** A sample value: integers without a fraction, others without exponent, {@code NaN}, {@code +Inf}, {@code -Inf} as the format spells them. */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return java.math.BigDecimal.valueOf(v).toPlainString(); // 1714557910.5, not 1.7145579105E9
    }

    /** A label value: backslash, double quote and line feed escaped. */
    static String escapeLabel(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /** A HELP text: backslash and line feed escaped. */
    static String escapeHelp(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n");
    }
}
