package io.streampatterns.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streampatterns.core.Storage;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A {@link StreamingQueryListener} that keeps, for every query of its process, a file
 * {@code dir/<query name or id>.json} with the query's latest progress, so a dashboard in another process can show
 * the queries ({@link QueryHealth#load(URI)}).
 *
 * <p>The file is the {@code StreamingQueryProgress.json()} object plus one field {@value #FIGURES_FIELD} holding the
 * {@link QueryFigures} (running totals such as late rows, and the state: when the query terminates the file is
 * rewritten with {@code active: false} and the failure message, if any). Files are replaced atomically (temporary
 * file, then a rename; see {@link Storage#writeAtomically}), so a reader never sees half a file. The directory is any
 * Hadoop file system URI.</p>
 *
 * <p>A process killed with SIGKILL (or a machine that dies) cannot write that its queries stopped, so while a query
 * runs its file also gets a heartbeat (time and {@code pid@host}) every {@link #HEARTBEAT}, from a thread of this
 * listener: independent of the trigger interval and of how long a batch takes. A reader judges a query whose last
 * heartbeat is too old as stale ({@link QueryFigures#judged}). {@link #close()} stops the heartbeats.</p>
 */
public final class ProgressFiles extends StreamingQueryListener implements AutoCloseable {
    /** The field added to the progress object with the query's figures. */
    public static final String FIGURES_FIELD = "streampatterns";
    /** How often a running query's file gets a heartbeat. */
    public static final Duration HEARTBEAT = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(ProgressFiles.class);

    private final URI dir;
    private final QueryHealth health;
    private final Map<String, ObjectNode> lastProgress = new ConcurrentHashMap<>();
    private final Map<String, String> fileNames = new ConcurrentHashMap<>();
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final String process = ProcessHandle.current().pid() + "@" + hostName();
    private final ScheduledExecutorService heartbeats;

    private ProgressFiles(URI dir, Duration heartbeat, WatchOptions watch) {
        this.dir = dir;
        this.health = new QueryHealth(watch);
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "progress-files-heartbeat");
            t.setDaemon(true);
            return t;
        });
        heartbeats.scheduleAtFixedRate(this::beatAll, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A listener writing into {@code dir} (created now if missing), with a heartbeat every {@link #HEARTBEAT}. */
    public static ProgressFiles in(URI dir) {
        return in(dir, HEARTBEAT);
    }

    /** A listener writing into {@code dir} (created now if missing), with a heartbeat every {@code heartbeat}. */
    public static ProgressFiles in(URI dir, Duration heartbeat) {
        return in(dir, heartbeat, WatchOptions.defaults());
    }

    /**
     * A listener writing into {@code dir} (created now if missing), with a heartbeat every {@code heartbeat}; the files
     * carry the warnings of a {@link LagWatch} with {@code watch} (give it the queries' trigger interval).
     */
    public static ProgressFiles in(URI dir, Duration heartbeat, WatchOptions watch) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(watch, "watch");
        if (heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException("heartbeat interval must be positive: " + heartbeat);
        }
        Storage.mkdirs(dir);
        return new ProgressFiles(dir, heartbeat, watch);
    }

    public URI dir() {
        return dir;
    }

    @Override
    public void onQueryStarted(QueryStartedEvent event) {
        health.onQueryStarted(event);
        String id = event.id().toString();
        fileNames.put(id, fileName(event.name(), id));
        running.add(id);
        beat(id);
    }

    @Override
    public void onQueryProgress(QueryProgressEvent event) {
        health.onQueryProgress(event);
        String id = event.progress().id().toString();
        lastProgress.put(id, (ObjectNode) Json.parse(event.progress().json()));
        fileNames.putIfAbsent(id, fileName(event.progress().name(), id));
        running.add(id);
        beat(id);
    }

    @Override
    public void onQueryIdle(QueryIdleEvent event) {
        health.onQueryIdle(event);
        beat(event.id().toString());
    }

    @Override
    public synchronized void onQueryTerminated(QueryTerminatedEvent event) {
        String id = event.id().toString();
        running.remove(id);
        health.onQueryTerminated(event);
        health.heartbeat(id, Instant.now(), process);
        fileNames.putIfAbsent(id, fileName(null, id));
        write(id);
        lastProgress.remove(id);
    }

    /** Stops the heartbeats (the files stay as last written). */
    @Override
    public void close() {
        heartbeats.shutdownNow();
    }

    private void beatAll() {
        running.forEach(this::beat);
    }

    /** Writes query {@code id}'s file with a heartbeat now, unless it stopped meanwhile. */
    private synchronized void beat(String id) {
        if (running.contains(id)) {
            health.heartbeat(id, Instant.now(), process);
            write(id);
        }
    }

    /** The figures of every progress file in {@code dir}; a missing directory gives none, unreadable files are skipped. */
    public static List<QueryFigures> readAll(URI dir) {
        List<QueryFigures> all = new ArrayList<>();
        try {
            for (URI file : Storage.list(dir)) {
                QueryFigures f = Storage.name(file).endsWith(".json") ? read(file) : null;
                if (f != null) {
                    all.add(f);
                }
            }
        } catch (UncheckedIOException e) {
            LOG.warn("cannot list progress directory {}: {}", Storage.text(dir), e.getMessage());
        }
        return all;
    }

    /** The figures of one progress file (or of a plain progress JSON), or null when it cannot be read. */
    static QueryFigures read(URI file) {
        try {
            JsonNode node = Json.parse(Storage.read(file));
            JsonNode figures = node.get(FIGURES_FIELD);
            QueryFigures f = figures != null ? QueryFigures.fromJson(figures) : QueryFigures.fromProgress(node);
            // written before heartbeats existed, or by Spark alone: the file's time is its last sign of life
            return f.liveness().heartbeat() != null ? f : f.withHeartbeat(Storage.modified(file), null);
        } catch (RuntimeException e) {
            LOG.warn("skipping unreadable progress file {}: {}", Storage.text(file), e.toString());
            return null;
        }
    }

    private void write(String id) {
        ObjectNode content = lastProgress.getOrDefault(id, Json.object()).deepCopy();
        content.set(FIGURES_FIELD, health.query(id).toJson());
        URI target = Storage.child(dir, fileNames.get(id));
        try {
            Storage.writeAtomically(target, Json.write(content));
        } catch (UncheckedIOException e) {
            // a listener must not fail the query: the next progress or heartbeat rewrites the file
            LOG.warn("cannot write progress file {}: {}", Storage.text(target), e.getMessage());
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** {@code <name>.json} with characters outside {@code [A-Za-z0-9._-]} replaced by {@code _}; the id when unnamed. */
    static String fileName(String queryName, String id) {
        String base = queryName == null || queryName.isBlank() ? id : queryName.replaceAll("[^A-Za-z0-9._-]", "_");
        return (base.startsWith(".") ? "_" + base.substring(1) : base) + ".json";
    }
}
