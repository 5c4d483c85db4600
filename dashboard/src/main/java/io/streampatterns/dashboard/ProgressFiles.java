package io.streampatterns.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link StreamingQueryListener} that keeps, for every query of its process, a file
 * {@code dir/<query name or id>.json} with the query's latest progress, so a dashboard in another process can show
 * the queries ({@link QueryHealth#load(Path)}).
 *
 * <p>The file is the {@code StreamingQueryProgress.json()} object plus one field {@value #FIGURES_FIELD} holding the
 * {@link QueryFigures} (running totals such as late rows, and the state: when the query terminates the file is
 * rewritten with {@code active: false} and the failure message, if any). Files are replaced atomically (temporary
 * file, then an atomic move), so a reader never sees half a file.</p>
 */
public final class ProgressFiles extends StreamingQueryListener {
    /** The field added to the progress object with the query's figures. */
    public static final String FIGURES_FIELD = "streampatterns";

    private static final Logger LOG = LoggerFactory.getLogger(ProgressFiles.class);

    private final Path dir;
    private final QueryHealth health = new QueryHealth();
    private final Map<String, ObjectNode> lastProgress = new ConcurrentHashMap<>();
    private final Map<String, String> fileNames = new ConcurrentHashMap<>();

    private ProgressFiles(Path dir) {
        this.dir = dir;
    }

    /** A listener writing into {@code dir} (created now if missing). */
    public static ProgressFiles in(Path dir) {
        Objects.requireNonNull(dir, "dir");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create progress directory " + dir, e);
        }
        return new ProgressFiles(dir);
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void onQueryStarted(QueryStartedEvent event) {
        health.onQueryStarted(event);
        String id = event.id().toString();
        fileNames.put(id, fileName(event.name(), id));
        write(id, Json.object());
    }

    @Override
    public void onQueryProgress(QueryProgressEvent event) {
        health.onQueryProgress(event);
        String id = event.progress().id().toString();
        ObjectNode progress = (ObjectNode) Json.parse(event.progress().json());
        lastProgress.put(id, progress);
        fileNames.putIfAbsent(id, fileName(event.progress().name(), id));
        write(id, progress);
    }

    @Override
    public void onQueryTerminated(QueryTerminatedEvent event) {
        health.onQueryTerminated(event);
        String id = event.id().toString();
        fileNames.putIfAbsent(id, fileName(null, id));
        write(id, lastProgress.getOrDefault(id, Json.object()));
        lastProgress.remove(id);
    }

    /** The figures of every progress file in {@code dir}; a missing directory gives none, unreadable files are skipped. */
    public static List<QueryFigures> readAll(Path dir) {
        List<QueryFigures> all = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return all;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
            for (Path file : files) {
                QueryFigures f = read(file);
                if (f != null) {
                    all.add(f);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list progress directory {}: {}", dir, e.toString());
        }
        return all;
    }

    /** The figures of one progress file (or of a plain progress JSON), or null when it cannot be read. */
    static QueryFigures read(Path file) {
        try {
            JsonNode node = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
            JsonNode figures = node.get(FIGURES_FIELD);
            return figures != null ? QueryFigures.fromJson(figures) : QueryFigures.fromProgress(node);
        } catch (IOException | RuntimeException e) {
            LOG.warn("skipping unreadable progress file {}: {}", file, e.toString());
            return null;
        }
    }

    private void write(String id, ObjectNode progress) {
        ObjectNode content = progress.deepCopy();
        content.set(FIGURES_FIELD, health.query(id).toJson());
        Path target = dir.resolve(fileNames.get(id));
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, ".progress-", ".tmp");
            Files.writeString(tmp, Json.write(content), StandardCharsets.UTF_8);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            deleteQuietly(tmp);
            // a listener must not fail the query: the next progress rewrites the file
            LOG.warn("cannot write progress file {}: {}", target, e.toString());
        }
    }

    private static void deleteQuietly(Path tmp) {
        if (tmp != null) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // left for the next cleanup; it never matches *.json
            }
        }
    }

    /** {@code <name>.json} with characters outside {@code [A-Za-z0-9._-]} replaced by {@code _}; the id when unnamed. */
    static String fileName(String queryName, String id) {
        String base = queryName == null || queryName.isBlank() ? id : queryName.replaceAll("[^A-Za-z0-9._-]", "_");
        return (base.startsWith(".") ? "_" + base.substring(1) : base) + ".json";
    }
}
