package io.streampatterns.cli.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.streampatterns.core.ConfigException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * What {@code cluster start} left running, kept in {@code DIR/cluster.json} for {@code status} and {@code stop}:
 * the master's URL and web UI, and each daemon's process id and log file.
 */
public record ClusterState(String masterUrl, String webUiUrl, Daemon master, List<Daemon> workers,
                           int coresPerWorker, int memoryMbPerWorker) {
    static final String FILE = "cluster.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One JVM: its process id, the Spark class it runs (checked before a signal, so a reused pid is left alone), its log. */
    public record Daemon(long pid, String mainClass, String log) {
    }

    public ClusterState {
        workers = List.copyOf(workers);
    }

    /** Every daemon, workers first (the order {@code stop} takes). */
    List<Daemon> daemons() {
        return java.util.stream.Stream.concat(workers.stream(), java.util.stream.Stream.of(master)).toList();
    }

    /** Writes it to {@code dir} atomically (a crash leaves the old file or the new one). */
    void write(Path dir) {
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve(FILE + ".tmp");
            JSON.writeValue(tmp.toFile(), this);
            Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(FILE), e);
        }
    }

    /** The state in {@code dir}, empty when no cluster was started there (or it was stopped). */
    static Optional<ClusterState> read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), ClusterState.class));
        } catch (IOException e) {
            throw new ConfigException("--dir: " + file + " is not a cluster state file (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
        }
    }

    static void delete(Path dir) {
        try {
            Files.deleteIfExists(dir.resolve(FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
