package io.streampatterns.apps.generate;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link Sink} writing numbered part files ({@code part-00000.jsonl}, ...) of at most {@code linesPerFile}
 * lines. Each file is written under a hidden name ({@code .part-00000.jsonl.inprogress}, which Spark's file
 * source ignores) and atomically renamed when complete, so a reader never sees a partial file. Side streams go
 * to subdirectories and are committed together with the main stream's files: side file {@code k} holds what was
 * written while main file {@code k} was (empty if nothing was), so a reader that takes one file of each per batch sees
 * the side lines (e.g. fraud labels) with the events they came with, as a live reader would; what is written after the
 * last main file goes to one more side file. With a {@link Pacer} the main stream is written live: each file is opened
 * only when the pacer allows its first line.
 *
 * <p>The files of a stream get strictly increasing modification times (milliseconds): Spark's file source takes files
 * in that order, and files completed within one clock tick of the file system would otherwise share a time and be
 * taken in directory-listing order, which differs between machines, so later events could move the watermark first.</p>
 */
final class PartFiles implements Sink, AutoCloseable {
    /** Blocks until line {@code index} of the main stream may be written. */
    interface Pacer {
        void awaitLine(long index);
    }

    private final Path dir;
    private final String extension;
    private final int linesPerFile;
    private final Pacer pacer;
    private final Map<String, PartFiles> sides = new LinkedHashMap<>();
    private Writer writer;
    private int fileIndex;
    private int linesInFile;
    private long lines;
    private long lastModified = Long.MIN_VALUE;

    PartFiles(Path dir, String extension, int linesPerFile, Pacer pacer) {
        this.dir = dir;
        this.extension = extension;
        this.linesPerFile = linesPerFile;
        this.pacer = pacer;
    }

    @Override
    public void write(String line) {
        try {
            if (writer == null) {
                if (pacer != null) {
                    pacer.awaitLine(lines);
                }
                Files.createDirectories(dir);
                writer = new BufferedWriter(Files.newBufferedWriter(temp(fileIndex), StandardCharsets.UTF_8), 1 << 16);
            }
            writer.write(line);
            writer.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + dir, e);
        }
        lines++;
        if (++linesInFile == linesPerFile) {
            commit();
        }
    }

    @Override
    public Sink side(String name) {
        return sides.computeIfAbsent(name, n -> new PartFiles(dir.resolve(n), extension, Integer.MAX_VALUE, null));
    }

    /** Lines written to this stream. */
    long lines() {
        return lines;
    }

    /** Complete files written to this stream. */
    int files() {
        return fileIndex;
    }

    /** The side streams opened so far, by name. */
    Map<String, PartFiles> sides() {
        return sides;
    }

    /** Commits the open file and the side streams' open files. */
    @Override
    public void close() {
        commitFile();
        sides.values().forEach(PartFiles::close);
    }

    /** The main stream's file is full: commit it and the side streams' files (empty ones too, to keep the numbering aligned). */
    private void commit() {
        commitFile();
        for (PartFiles side : sides.values()) {
            side.open();
            side.commitFile();
        }
    }

    private void open() {
        if (writer == null) {
            try {
                Files.createDirectories(dir);
                writer = new BufferedWriter(Files.newBufferedWriter(temp(fileIndex), StandardCharsets.UTF_8), 1 << 16);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write to " + dir, e);
            }
        }
    }

    private void commitFile() {
        if (writer == null) {
            return;
        }
        try {
            writer.close();
            writer = null;
            // before the rename, so no reader sees the file with a time that ties with its predecessor
            lastModified = Math.max(Files.getLastModifiedTime(temp(fileIndex)).toMillis(), lastModified + 1);
            Files.setLastModifiedTime(temp(fileIndex), FileTime.fromMillis(lastModified));
            Files.move(temp(fileIndex), dir.resolve(name(fileIndex)), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot commit a file in " + dir, e);
        }
        fileIndex++;
        linesInFile = 0;
    }

    private Path temp(int index) {
        return dir.resolve("." + name(index) + ".inprogress");
    }

    private String name(int index) {
        return String.format("part-%05d%s", index, extension);
    }
}
