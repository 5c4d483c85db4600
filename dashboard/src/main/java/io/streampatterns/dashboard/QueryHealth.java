package io.streampatterns.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.spark.sql.streaming.StreamingQueryListener;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The health of streaming queries: for each query, the {@link QueryFigures} of its last progress. Fed either
 * as a {@link StreamingQueryListener} in the process that runs the queries
 * ({@code spark.streams().addListener(health)}), or from the progress files another process writes with
 * {@link ProgressFiles} ({@link #load(URI)}), or both. As a listener it also watches each query with a {@link LagWatch}
 * and puts what it warns about into the figures ({@link QueryFigures#warnings()}); figures loaded from files carry the
 * warnings their writer's watch found.
 */
public final class QueryHealth extends StreamingQueryListener {
    private final Map<String, QueryFigures> queries = new ConcurrentHashMap<>();
    private final Map<String, LagWatch> watches = new ConcurrentHashMap<>();
    private final WatchOptions watch;

    /** Health whose watch knows no trigger interval: it judges falling behind by the rates alone. */
    public QueryHealth() {
        this(WatchOptions.defaults());
    }

    /** Health watching every query with {@code watch} (the trigger interval its queries run with, thresholds). */
    public QueryHealth(WatchOptions watch) {
        this.watch = java.util.Objects.requireNonNull(watch, "watch");
    }

    /** The figures of every query seen, ordered by name (then id). */
    public List<QueryFigures> queries() {
        List<QueryFigures> all = new ArrayList<>(queries.values());
        all.sort(Comparator.comparing(QueryFigures::label).thenComparing(QueryFigures::id));
        return all;
    }

    /**
     * The figures of every query seen, as a reader at {@code now} judges them: a running query whose last sign of life
     * is older than {@code staleAfter} is stale ({@link QueryFigures#judged}).
     */
    public List<QueryFigures> queries(Instant now, Duration staleAfter) {
        return queries().stream().map(q -> q.judged(now, staleAfter)).toList();
    }

    /** The figures of query {@code id}, or null when it was never seen. */
    public QueryFigures query(String id) {
        return queries.get(id);
    }

    /**
     * Takes the figures of every progress file in {@code dir} (see {@link ProgressFiles}); they replace what was
     * known of the same queries. A missing directory counts as empty; unreadable files are skipped.
     *
     * @return the number of queries read
     */
    public int load(URI dir) {
        List<QueryFigures> read = ProgressFiles.readAll(dir);
        read.forEach(f -> queries.put(f.id(), f));
        return read.size();
    }

    @Override
    public void onQueryStarted(QueryStartedEvent event) {
        String id = event.id().toString();
        queries.put(id, QueryFigures.started(event.name(), id));
    }

    @Override
    public void onQueryProgress(QueryProgressEvent event) {
        String id = event.progress().id().toString();
        JsonNode progress = Json.parse(event.progress().json());
        QueryFigures figures = queries.merge(id, QueryFigures.fromProgress(progress), (old, ignored) -> old.withProgress(progress));
        LagWatch w = watches.compute(id, (k, old) -> (old == null ? LagWatch.of(watch, figures.label()) : old).next(progress));
        queries.computeIfPresent(id, (k, q) -> q.withWarnings(w.warnings()));
    }

    /**
     * Spark's report that a query waits for data (every {@code noDataProgressEventInterval}, 10 s): a sign of life,
     * and the end of falling behind ({@link LagWatch#idle()}).
     */
    @Override
    public void onQueryIdle(QueryIdleEvent event) {
        Instant at;
        try {
            at = Instant.parse(event.timestamp());
        } catch (RuntimeException e) {
            at = Instant.now();
        }
        Instant reported = at;
        LagWatch w = watches.computeIfPresent(event.id().toString(), (id, old) -> old.idle());
        queries.computeIfPresent(event.id().toString(),
                (id, q) -> w == null ? q.withIdleReport(reported) : q.withIdleReport(reported).withWarnings(w.warnings()));
    }

    /** Records a heartbeat of query {@code id} from {@code process} (see {@link ProgressFiles}). */
    void heartbeat(String id, Instant at, String process) {
        queries.computeIfPresent(id, (k, q) -> q.withHeartbeat(at, process));
    }

    @Override
    public void onQueryTerminated(QueryTerminatedEvent event) {
        String id = event.id().toString();
        String error = event.exception().isDefined() ? event.exception().get() : null;
        queries.compute(id, (k, old) -> (old == null ? QueryFigures.started(null, id) : old).terminated(error));
        watches.remove(id);
    }
}
