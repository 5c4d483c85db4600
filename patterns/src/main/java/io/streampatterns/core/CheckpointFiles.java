package io.streampatterns.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Checks, before a query starts, the checkpoint files Spark reads first on a restart, and refuses a damaged one
 * (empty, cut short, not what Spark wrote) with a line that names the file and the ways on. Spark fails on them too,
 * but as "Incomplete log file" or a JSON parser's complaint without the file or what to do. Layout checked:
 * <pre>
 * metadata                      {"id": query id}                      restore, or a new checkpoint
 * offsets/N (last)              v1 / batch metadata / source offsets  uncommitted: delete it, batch N is planned again
 * commits/N (last)              v1 / {"nextBatchWatermarkMs": ...}    delete it: batch N runs again, our sinks are idempotent
 * sources/S/N (last)            v1 / one JSON line per file read      restore, or a new checkpoint
 * state/O/_metadata/** (all)    v1 or v2 / operator metadata          restore, or a new checkpoint
 * state/O/P/* (last version)    changelog or snapshot, not empty      restore, or a new checkpoint
 * </pre>
 * Content beyond this (a state file cut short but not empty) is not parsed here: Spark then fails with
 * {@code CANNOT_LOAD_STATE_STORE}, which the CLI explains.
 */
public final class CheckpointFiles {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The way on when a file cannot be rebuilt by Spark. */
    public static final String RESTORE = "restore the checkpoint from a backup, or start over with a new checkpoint"
            + " directory (the input is then read again from its start)";

    private CheckpointFiles() {
    }

    /** Throws {@link DamagedCheckpointException} for the first damaged file under {@code root}; a missing root is fine. */
    public static void verify(FileSystem fs, Path root) throws IOException {
        if (!fs.exists(root)) {
            return;
        }
        checkMetadata(fs, new Path(root, "metadata"));
        OptionalLong lastCommit = last(fs, new Path(root, "commits"));
        OptionalLong lastOffsets = last(fs, new Path(root, "offsets"));
        if (lastOffsets.isPresent()) {
            boolean committed = lastCommit.isPresent() && lastCommit.getAsLong() >= lastOffsets.getAsLong();
            checkLog(fs, new Path(root, "offsets/" + lastOffsets.getAsLong()), 2, committed ? RESTORE
                    : "batch " + lastOffsets.getAsLong() + " was never committed: delete this file and run again (the batch is"
                    + " planned again from the last commit), or " + RESTORE);
        }
        if (lastCommit.isPresent()) {
            checkLog(fs, new Path(root, "commits/" + lastCommit.getAsLong()), 2, "delete this file and run again: batch "
                    + lastCommit.getAsLong() + " runs again, and the sinks of streampatterns skip or rewrite what it already"
                    + " wrote; or " + RESTORE);
        }
        for (Path source : children(fs, new Path(root, "sources"))) {
            OptionalLong n = last(fs, source);
            if (n.isPresent()) {
                checkLog(fs, logFile(fs, source, n.getAsLong()), 1, RESTORE);
            }
        }
        for (Path operator : children(fs, new Path(root, "state"))) {
            checkState(fs, operator);
        }
    }

    private static void checkMetadata(FileSystem fs, Path file) throws IOException {
        if (!fs.exists(file)) {
            return;
        }
        JsonNode id;
        try (var in = fs.open(file)) {
            id = JSON.readTree(in).path("id");
        } catch (IOException e) { // not JSON, or a checksum error (the .crc beside it no longer matches)
            id = null;
        }
        if (id == null || !id.isTextual()) {
            throw damaged(file, "is not the query's metadata ({\"id\": ...})", RESTORE);
        }
    }

    /** A metadata log file: a version line {@code vN} and at least {@code lines - 1} more lines. */
    private static void checkLog(FileSystem fs, Path file, int lines, String fix) {
        List<String> head;
        try {
            head = head(fs, file, lines);
        } catch (IOException e) { // e.g. a checksum error: the .crc beside it no longer matches
            throw damaged(file, "cannot be read (" + e.getClass().getSimpleName() + ")", fix);
        }
        if (head.isEmpty()) {
            throw damaged(file, "is empty", fix);
        }
        // Kafka's initial-offsets file starts with a NUL byte before its version (SPARK-19517)
        if (!head.get(0).replace("\0", "").matches("v\\d+")) {
            throw damaged(file, "does not start with a log version (v1, v2, ...)", fix);
        }
        if (head.size() < lines) {
            throw damaged(file, "is cut short", fix);
        }
    }

    private static void checkState(FileSystem fs, Path operator) throws IOException {
        for (FileStatus f : recursive(fs, new Path(operator, "_metadata"))) {
            checkLog(fs, f.getPath(), 2, RESTORE);
        }
        for (Path partition : children(fs, operator)) {
            if (!partition.getName().matches("\\d+")) {
                continue;
            }
            long newest = -1;
            List<FileStatus> newestFiles = new ArrayList<>();
            for (FileStatus f : fs.listStatus(partition)) {
                String name = f.getPath().getName();
                if (f.isFile() && name.matches("\\d+\\.(changelog|zip|delta|snapshot)")) {
                    long v = Long.parseLong(name.substring(0, name.indexOf('.')));
                    if (v > newest) {
                        newest = v;
                        newestFiles.clear();
                    }
                    if (v == newest) {
                        newestFiles.add(f);
                    }
                }
            }
            for (FileStatus f : newestFiles) {
                if (f.getLen() == 0) {
                    throw damaged(f.getPath(), "is empty (state of version " + newest + ")", RESTORE);
                }
            }
        }
    }

    private static DamagedCheckpointException damaged(Path file, String what, String fix) {
        return new DamagedCheckpointException("checkpoint file " + file + " " + what + ": " + fix);
    }

    /** The highest batch number among the files of a metadata log ({@code N} or {@code N.compact}). */
    private static OptionalLong last(FileSystem fs, Path log) throws IOException {
        if (!fs.exists(log)) {
            return OptionalLong.empty();
        }
        return java.util.Arrays.stream(fs.listStatus(log)).map(s -> s.getPath().getName())
                .filter(n -> n.matches("\\d+(\\.compact)?")).mapToLong(n -> Long.parseLong(n.replace(".compact", ""))).max();
    }

    private static Path logFile(FileSystem fs, Path log, long n) throws IOException {
        Path plain = new Path(log, String.valueOf(n));
        return fs.exists(plain) ? plain : new Path(log, n + ".compact");
    }

    private static List<Path> children(FileSystem fs, Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        if (fs.exists(dir)) {
            for (FileStatus s : fs.listStatus(dir)) {
                if (s.isDirectory()) {
                    out.add(s.getPath());
                }
            }
        }
        return out;
    }

    private static List<FileStatus> recursive(FileSystem fs, Path dir) throws IOException {
        List<FileStatus> out = new ArrayList<>();
        if (fs.exists(dir)) {
            var it = fs.listFiles(dir, true);
            while (it.hasNext()) {
                FileStatus f = it.next();
                if (!f.getPath().getName().startsWith(".")) {
                    out.add(f);
                }
            }
        }
        return out;
    }

    private static List<String> head(FileSystem fs, Path file, int lines) throws IOException {
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null && out.size() < lines; line = r.readLine()) {
                out.add(line);
            }
        }
        return out;
    }

    /** A checkpoint file Spark would fail on; the message names the file and the ways on. */
    public static final class DamagedCheckpointException extends IllegalStateException {
        DamagedCheckpointException(String message) {
            super(message);
        }
    }

    /** The damage {@code failure} reports, if any of its causes is one. */
    public static Optional<String> damageIn(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DamagedCheckpointException d) {
                return Optional.of(d.getMessage());
            }
        }
        return Optional.empty();
    }
}
