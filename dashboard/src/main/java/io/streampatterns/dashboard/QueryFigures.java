package io.streampatterns.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * The health figures of one streaming query, from its last progress: rates, batch duration, watermark delay,
 * state size, late rows, last batch, and whether it still runs. Immutable; {@link #withProgress} gives the
 * figures after one more progress report ({@code StreamingQueryProgress.json()}), carrying the running
 * totals (late rows, newest event time) over.
 *
 * <p>Liveness: a process that dies without a word (SIGKILL, a machine gone) cannot record that its queries stopped.
 * {@link ProgressFiles} therefore writes a heartbeat every few seconds while a query runs, and a reader
 * {@link #judged judges} a query whose last sign of life (heartbeat or progress report) is older than a limit as stale:
 * not {@link #up()}, {@link #staleSince()} that sign of life.</p>
 *
 * <p>Late rows of a batch = the rows the stateful operators dropped behind the watermark
 * ({@code numRowsDroppedByWatermark}) plus the numeric fields of the observed metric {@value #LATE_EVENTS_METRIC}
 * (a pipeline that filters late events itself reports them there).</p>
 */
public final class QueryFigures {
    /** Name of the observed metric ({@code Dataset.observe}) whose numeric fields count late events. */
    public static final String LATE_EVENTS_METRIC = "late_events";

    private final String name;
    private final String id;
    private final boolean active;
    private final String exception;
    private final long batchId;
    private final Instant lastProgress;
    private final Double inputRowsPerSecond;
    private final Double processedRowsPerSecond;
    private final Long batchDurationMs;
    private final Instant newestEventTime;
    private final Instant watermark;
    private final long stateRows;
    private final long stateMemoryBytes;
    private final long lateRows;
    private final long lateRowsTotal;
    private final Liveness liveness;
    private final List<QueryWarning> warnings;

    /**
     * What tells whether a query's process still runs it: the last heartbeat written for it, the process
     * ({@code pid@host}), and once {@link #judged} since when the query is stale (null while it is not).
     */
    public record Liveness(Instant heartbeat, String process, Instant staleSince) {
        static final Liveness UNKNOWN = new Liveness(null, null, null);
    }

    private QueryFigures(String name, String id, boolean active, String exception, long batchId, Instant lastProgress,
                         Double inputRowsPerSecond, Double processedRowsPerSecond, Long batchDurationMs,
                         Instant newestEventTime, Instant watermark, long stateRows, long stateMemoryBytes,
                         long lateRows, long lateRowsTotal, Liveness liveness, List<QueryWarning> warnings) {
        this.name = name;
        this.id = Objects.requireNonNull(id, "id");
        this.active = active;
        this.exception = exception;
        this.batchId = batchId;
        this.lastProgress = lastProgress;
        this.inputRowsPerSecond = inputRowsPerSecond;
        this.processedRowsPerSecond = processedRowsPerSecond;
        this.batchDurationMs = batchDurationMs;
        this.newestEventTime = newestEventTime;
        this.watermark = watermark;
        this.stateRows = stateRows;
        this.stateMemoryBytes = stateMemoryBytes;
        this.lateRows = lateRows;
        this.lateRowsTotal = lateRowsTotal;
        this.liveness = Objects.requireNonNull(liveness, "liveness");
        this.warnings = List.copyOf(warnings);
    }

    /** A query that started and has reported no progress yet ({@code name} may be null). */
    public static QueryFigures started(String name, String id) {
        return new QueryFigures(name, id, true, null, -1, null, null, null, null, null, null, 0, 0, 0, 0, Liveness.UNKNOWN, List.of());
    }

    /** The figures of a query known only by one progress report. */
    public static QueryFigures fromProgress(JsonNode progress) {
        return started(Json.text(progress, "name"), Objects.requireNonNull(Json.text(progress, "id"), "progress without id"))
                .withProgress(progress);
    }

    /**
     * The figures after {@code progress} (one {@code StreamingQueryProgress.json()}). Late rows add to the total
     * only for a batch not seen before, so a repeated report (idle progress) does not count twice.
     */
    public QueryFigures withProgress(JsonNode progress) {
        long batch = Json.count(progress, "batchId");
        boolean newBatch = batch > batchId;
        JsonNode eventTime = progress.get("eventTime");
        Instant max = Json.instant(eventTime, "max");
        Instant newest = newestEventTime == null || (max != null && max.isAfter(newestEventTime)) ? max : newestEventTime;
        Instant mark = Json.instant(eventTime, "watermark");
        long late = droppedByWatermark(progress) + observedLateEvents(progress);
        Long duration = progress.has("batchDuration") ? Long.valueOf(Json.count(progress, "batchDuration"))
                : durationFallback(progress);
        return new QueryFigures(Json.text(progress, "name") != null ? Json.text(progress, "name") : name, id, true, null,
                Math.max(batch, batchId), Json.instant(progress, "timestamp"),
                Json.number(progress, "inputRowsPerSecond"), Json.number(progress, "processedRowsPerSecond"), duration,
                newest, mark == null || mark.equals(Instant.EPOCH) ? null : mark,
                sum(progress, "numRowsTotal"), sum(progress, "memoryUsedBytes"),
                late, lateRowsTotal + (newBatch ? late : 0), liveness, warnings);
    }

    /** The same figures after Spark's report that the query waits for data (every 10 s while idle) at {@code at}. */
    public QueryFigures withIdleReport(Instant at) {
        Instant last = lastProgress == null || at.isAfter(lastProgress) ? at : lastProgress;
        return new QueryFigures(name, id, active, exception, batchId, last, inputRowsPerSecond, processedRowsPerSecond,
                batchDurationMs, newestEventTime, watermark, stateRows, stateMemoryBytes, lateRows, lateRowsTotal, liveness, warnings);
    }

    /** The same figures with a heartbeat at {@code at} from {@code process} ({@code pid@host}). */
    public QueryFigures withHeartbeat(Instant at, String process) {
        return with(new Liveness(at, process, null));
    }

    /**
     * The figures as a reader at {@code now} sees them: an active query whose last sign of life (heartbeat or progress
     * report) is older than {@code staleAfter} is stale since then. A query with no sign of life at all (figures of
     * an in-process listener) is never stale.
     */
    public QueryFigures judged(Instant now, Duration staleAfter) {
        Instant seen = lastSeen();
        boolean stale = active && seen != null && seen.plus(staleAfter).isBefore(now);
        return with(new Liveness(liveness.heartbeat(), liveness.process(), stale ? seen : null));
    }

    private QueryFigures with(Liveness l) {
        return new QueryFigures(name, id, active, exception, batchId, lastProgress, inputRowsPerSecond, processedRowsPerSecond,
                batchDurationMs, newestEventTime, watermark, stateRows, stateMemoryBytes, lateRows, lateRowsTotal, l, warnings);
    }

    /** The same figures for a query that stopped ({@code exception} null when it stopped cleanly); a stopped query lags no more. */
    public QueryFigures terminated(String exception) {
        return new QueryFigures(name, id, false, exception, batchId, lastProgress, inputRowsPerSecond,
                processedRowsPerSecond, batchDurationMs, newestEventTime, watermark, stateRows, stateMemoryBytes,
                lateRows, lateRowsTotal, liveness, List.of());
    }

    /** The same figures with the warnings that hold now ({@link LagWatch#warnings()}). */
    public QueryFigures withWarnings(List<QueryWarning> now) {
        return new QueryFigures(name, id, active, exception, batchId, lastProgress, inputRowsPerSecond, processedRowsPerSecond,
                batchDurationMs, newestEventTime, watermark, stateRows, stateMemoryBytes, lateRows, lateRowsTotal, liveness, now);
    }

    private static Long durationFallback(JsonNode progress) {
        JsonNode d = progress.get("durationMs");
        return d != null && d.has("triggerExecution") ? Long.valueOf(Json.count(d, "triggerExecution")) : null;
    }

    private static long sum(JsonNode progress, String field) {
        long n = 0;
        JsonNode ops = progress.get("stateOperators");
        if (ops != null) {
            for (JsonNode op : ops) {
                n += Json.count(op, field);
            }
        }
        return n;
    }

    private static long droppedByWatermark(JsonNode progress) {
        return sum(progress, "numRowsDroppedByWatermark");
    }

    private static long observedLateEvents(JsonNode progress) {
        JsonNode metric = progress.path("observedMetrics").get(LATE_EVENTS_METRIC);
        long n = 0;
        if (metric != null) {
            for (Iterator<JsonNode> it = metric.elements(); it.hasNext(); ) {
                JsonNode v = it.next();
                if (v.isNumber()) {
                    n += v.longValue();
                }
            }
        }
        return n;
    }

    /** Query name, or its id when it has none. */
    public String label() {
        return name != null ? name : id;
    }

    public String name() {
        return name;
    }

    public String id() {
        return id;
    }

    public boolean active() {
        return active;
    }

    /** Whether the query runs and its process gave a sign of life within the limit it was {@link #judged} by. */
    public boolean up() {
        return active && liveness.staleSince() == null;
    }

    /** {@code active}, {@code stale}, {@code stopped} or {@code failed}. */
    public String state() {
        if (active) {
            return up() ? "active" : "stale";
        }
        return exception != null ? "failed" : "stopped";
    }

    public Liveness liveness() {
        return liveness;
    }

    /** What {@link LagWatch} warns about this query now: falling behind, state growing unchecked; empty when all is well. */
    public List<QueryWarning> warnings() {
        return warnings;
    }

    /** The last sign of life: the later of the last heartbeat and the last progress report, or null. */
    public Instant lastSeen() {
        Instant beat = liveness.heartbeat();
        return beat == null || (lastProgress != null && lastProgress.isAfter(beat)) ? lastProgress : beat;
    }

    /** Message of the failure that stopped the query, or null. */
    public String exception() {
        return exception;
    }

    /** Last batch id, -1 before the first progress. */
    public long batchId() {
        return batchId;
    }

    public Instant lastProgress() {
        return lastProgress;
    }

    public Double inputRowsPerSecond() {
        return inputRowsPerSecond;
    }

    public Double processedRowsPerSecond() {
        return processedRowsPerSecond;
    }

    public Long batchDurationMs() {
        return batchDurationMs;
    }

    /** The newest event time seen by the query (max over its batches), or null. */
    public Instant newestEventTime() {
        return newestEventTime;
    }

    /** The event-time watermark, or null when the query has none (or it has not moved yet). */
    public Instant watermark() {
        return watermark;
    }

    /** Newest event time minus the watermark: how far behind the newest event the query may still accept data; null without watermark. */
    public Duration watermarkDelay() {
        return watermark == null || newestEventTime == null ? null : Duration.between(watermark, newestEventTime);
    }

    /** Rows held in state, summed over the stateful operators. */
    public long stateRows() {
        return stateRows;
    }

    public long stateMemoryBytes() {
        return stateMemoryBytes;
    }

    /** Late rows of the last batch. */
    public long lateRows() {
        return lateRows;
    }

    /** Late rows of every batch reported since these figures started. */
    public long lateRowsTotal() {
        return lateRowsTotal;
    }

    /**
     * All figures as JSON (instants as ISO-8601, absent figures as null), with {@code state} and {@code up};
     * {@link #fromJson} reads it back.
     */
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("name", name);
        o.put("id", id);
        o.put("active", active);
        o.put("state", state());
        o.put("up", up());
        o.put("exception", exception);
        o.put("batchId", batchId);
        Json.put(o, "lastProgress", lastProgress);
        o.put("inputRowsPerSecond", inputRowsPerSecond);
        o.put("processedRowsPerSecond", processedRowsPerSecond);
        o.put("batchDurationMs", batchDurationMs);
        Json.put(o, "newestEventTime", newestEventTime);
        Json.put(o, "watermark", watermark);
        Duration delay = watermarkDelay();
        o.put("watermarkDelayMs", delay == null ? null : delay.toMillis());
        o.put("stateRows", stateRows);
        o.put("stateMemoryBytes", stateMemoryBytes);
        o.put("lateRows", lateRows);
        o.put("lateRowsTotal", lateRowsTotal);
        Json.put(o, "heartbeat", liveness.heartbeat());
        o.put("process", liveness.process());
        Json.put(o, "staleSince", liveness.staleSince());
        ArrayNode list = o.putArray("warnings");
        warnings.forEach(w -> list.addObject().put("kind", w.kind().label()).put("message", w.message()));
        return o;
    }

    public static QueryFigures fromJson(JsonNode o) {
        Double duration = Json.number(o, "batchDurationMs");
        return new QueryFigures(Json.text(o, "name"), Objects.requireNonNull(Json.text(o, "id"), "figures without id"),
                o.path("active").asBoolean(false), Json.text(o, "exception"), o.path("batchId").asLong(-1),
                Json.instant(o, "lastProgress"), Json.number(o, "inputRowsPerSecond"),
                Json.number(o, "processedRowsPerSecond"), duration == null ? null : duration.longValue(),
                Json.instant(o, "newestEventTime"), Json.instant(o, "watermark"), Json.count(o, "stateRows"),
                Json.count(o, "stateMemoryBytes"), Json.count(o, "lateRows"), Json.count(o, "lateRowsTotal"),
                new Liveness(Json.instant(o, "heartbeat"), Json.text(o, "process"), Json.instant(o, "staleSince")),
                warnings(o.path("warnings"), Json.text(o, "name") != null ? Json.text(o, "name") : Json.text(o, "id")));
    }

    private static List<QueryWarning> warnings(JsonNode list, String query) {
        List<QueryWarning> out = new ArrayList<>();
        for (JsonNode w : list) {
            String kind = Json.text(w, "kind");
            String message = Json.text(w, "message");
            // a kind a newer writer knows and this reader does not: the other figures still count
            if (message != null && java.util.Arrays.stream(QueryWarning.Kind.values()).anyMatch(k -> k.label().equals(kind))) {
                out.add(new QueryWarning(QueryWarning.Kind.ofLabel(kind), query, message));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "QueryFigures" + Json.write(toJson());
    }
}
