package io.streampatterns.bench;

import io.streampatterns.apps.generate.Dataset;
import io.streampatterns.apps.generate.Generation;
import io.streampatterns.apps.generate.GeneratorOptions;
import io.streampatterns.apps.generate.OutputOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Generated benchmark inputs, made once per directory with a fixed seed (so every entry sees the same data). */
public final class BenchData {
    public static final long SEED = 42;

    private BenchData() {
    }

    /** {@code events} clickstream events as JSON-lines files in {@code dir} (reused if already there). */
    public static Path clickstream(Path dir, long events) {
        return generate("clickstream", dir, events);
    }

    /** {@code events} clickstream events in files of {@code perFile} events (reused if already there). */
    public static Path clickstream(Path dir, long events, long perFile) {
        return generate("clickstream", dir, events, (int) perFile);
    }

    /** {@code events} records of the generated {@code dataset} in {@code dir} (reused if already there). */
    public static Path generate(String dataset, Path dir, long events) {
        return generate(dataset, dir, events, OutputOptions.DEFAULT_EVENTS_PER_FILE);
    }

    /** {@code events} records of {@code dataset} in files of {@code perFile} records (reused if already there). */
    public static Path generate(String dataset, Path dir, long events, int perFile) {
        try {
            if (Files.isDirectory(dir)) {
                try (var files = Files.list(dir)) {
                    if (files.findAny().isPresent()) {
                        return dir;
                    }
                }
            }
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Generation.run(Dataset.parse(dataset), GeneratorOptions.seed(SEED), OutputOptions.of(dir, events).withEventsPerFile(perFile));
        return dir;
    }
}
