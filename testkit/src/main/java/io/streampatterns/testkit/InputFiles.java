package io.streampatterns.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes the input files of file-source streams so that Spark takes them in the order they are written.
 *
 * <p>Spark's file source takes new files in modification-time order. Files written within one clock tick of the
 * file system share a time, and are then taken in directory-listing order, which differs between machines (ext4
 * orders names by a hash with a per-file-system seed): a test that writes "minute 0" then "minute 24" may see them
 * the other way round, and the watermark then drops the first as late. Each file written here gets a time one second
 * after the newest file already in its directory.</p>
 */
public final class InputFiles {
    private InputFiles() {
    }

    /** Writes {@code lines} to {@code file} and orders it after every other file of its directory. */
    public static Path write(Path file, List<String> lines) throws IOException {
        Files.write(file, lines);
        return orderLast(file);
    }

    /** Sets {@code file}'s modification time to one second after the newest other file of its directory (or keeps it, if later). */
    public static Path orderLast(Path file) throws IOException {
        long time = Files.getLastModifiedTime(file).toMillis();
        try (Stream<Path> siblings = Files.list(file.toAbsolutePath().getParent())) {
            for (Path p : (Iterable<Path>) siblings::iterator) {
                if (!p.equals(file.toAbsolutePath())) {
                    time = Math.max(time, Files.getLastModifiedTime(p).toMillis() + 1000);
                }
            }
        }
        Files.setLastModifiedTime(file, FileTime.fromMillis(time));
        return file;
    }
}
