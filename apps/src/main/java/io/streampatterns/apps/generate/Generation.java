package io.streampatterns.apps.generate;

import io.streampatterns.core.ConfigException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** Writes a data set into part files: the work of the {@code generate} command, callable from tests. */
public final class Generation {
    /** What was written: the events and files of the main stream, and the lines of each side stream. */
    public record Result(long events, int files, Map<String, Long> sideLines) {
    }

    private Generation() {
    }

    /**
     * Writes {@code output.events()} events of {@code dataset} into {@code output.dir()}, live at
     * {@code output.rate()} if set. The directory must not already hold part files.
     */
    public static Result run(Dataset dataset, GeneratorOptions options, OutputOptions output) {
        checkFresh(output.dir());
        PartFiles.Pacer pacer = output.rate().isPresent() ? new RatePacer(output.rate().getAsDouble()) : null;
        PartFiles files = new PartFiles(output.dir(), dataset.extension(), output.linesPerFile(), pacer);
        dataset.generator(options).write(files, output.events());
        files.close();
        Map<String, Long> sides = new LinkedHashMap<>();
        files.sides().forEach((name, side) -> sides.put(name, side.lines()));
        return new Result(files.lines(), files.files(), sides);
    }

    private static void checkFresh(Path dir) {
        ConfigException.check(!Files.exists(dir) || Files.isDirectory(dir), "--out " + dir + " is not a directory");
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            ConfigException.check(files.noneMatch(p -> p.getFileName().toString().startsWith("part-")),
                    "--out " + dir + " already holds part files; use a new or empty directory");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
