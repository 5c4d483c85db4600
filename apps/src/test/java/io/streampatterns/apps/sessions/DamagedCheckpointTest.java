package io.streampatterns.apps.sessions;

import io.streampatterns.apps.cli.Cli;
import org.apache.commons.io.FileUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15: a damaged checkpoint file (empty, cut short, overwritten) is refused before the query starts, with one line
 * that names the file and the ways on, never a silent re-processing or skip; following the advice works.
 */
class DamagedCheckpointTest {
    @TempDir
    static Path dir;
    static Path in;
    static Path finished;
    static List<String> expected;

    /** One uninterrupted run over the whole input: the checkpoint every case damages a copy of, and the expected table. */
    @BeforeAll
    static void runOnce() throws Exception {
        in = SessionsCrashTest.input(Files.createDirectories(dir.resolve("in")));
        finished = dir.resolve("finished");
        assertEquals(0, Cli.execute(new SessionsCommand(), SessionsCrashTest.args(in, finished.resolve("sessions"), true)));
        expected = SessionsCrashTest.table(finished.resolve("sessions"));
        assertTrue(expected.size() > 30, "enough sessions: " + expected.size());
    }

    @Test
    void anEmptyLastCommitIsRefusedAndDeletingItAsAdvisedRunsTheBatchAgainWithTheSameTable() throws Exception {
        Path out = copy("commit");
        Path commit = last(out.resolve("sessions_checkpoint/sessions/commits"));
        damage(commit, "");
        Result refused = run(out);
        assertEquals(1, refused.code, refused.err);
        assertTrue(refused.err.startsWith("failed: checkpoint file " + uri(commit) + " is empty: delete this file and run again"),
                refused.err);

        Files.delete(commit);
        Files.deleteIfExists(commit.resolveSibling("." + commit.getFileName() + ".crc"));
        assertEquals(0, run(out).code);
        assertEquals(expected, SessionsCrashTest.table(out.resolve("sessions")));
    }

    @Test
    void anUncommittedOffsetsFileCutShortIsRefusedWithTheAdviceToDeleteIt() throws Exception {
        Path out = copy("offsets");
        Path ckpt = out.resolve("sessions_checkpoint/sessions");
        Path offsets = last(ckpt.resolve("offsets"));
        Files.delete(ckpt.resolve("commits").resolve(offsets.getFileName()));
        damage(offsets, "v1\n");
        assertRefused(out, offsets, "is cut short: batch " + offsets.getFileName() + " was never committed: delete this file");
    }

    @Test
    void damagedMetadataSourceLogAndStateFilesAreEachRefusedNamingTheFile() throws Exception {
        Path ckpt = dir.resolve("finished/sessions_checkpoint/sessions");
        List<Path> files = List.of(ckpt.resolve("metadata"), last(ckpt.resolve("sources/0")),
                last(ckpt.resolve("state/0/_metadata/v2")), last(ckpt.resolve("state/0/0")));
        for (Path file : files) {
            Path out = copy(file.getFileName() + "-" + Math.abs(file.hashCode()));
            Path damaged = out.resolve("sessions_checkpoint/sessions").resolve(ckpt.relativize(file));
            damage(damaged, file.endsWith("metadata") ? "{garbage" : "");
            assertRefused(out, damaged, "restore the checkpoint from a backup");
        }
    }

    private static void assertRefused(Path out, Path file, String advice) {
        Result r = run(out);
        assertEquals(1, r.code, r.err);
        assertTrue(r.err.startsWith("failed: checkpoint file " + uri(file)) && r.err.contains(advice), r.err);
        assertEquals(1, r.err.strip().lines().count(), r.err);
    }

    /** Overwrites {@code file} with {@code content}, and drops Hadoop's checksum file beside it (else a checksum error). */
    private static void damage(Path file, String content) throws IOException {
        Files.writeString(file, content);
        Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
    }

    private static String uri(Path file) {
        return file.toUri().toString().replace("file:///", "file:/");
    }

    /** A copy of the finished output (table, quarantine, checkpoint) under a name of its own. */
    private static Path copy(String name) throws IOException {
        Path out = dir.resolve("case-" + name);
        FileUtils.copyDirectory(finished.toFile(), out.toFile());
        return out;
    }

    /** The newest numbered file of a checkpoint log or state partition (by number, not by name). */
    private static Path last(Path log) throws IOException {
        try (Stream<Path> files = Files.list(log)) {
            return files.filter(p -> p.getFileName().toString().matches("\\d+(\\.\\w+)?"))
                    .max(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().replaceAll("\\..*", ""))))
                    .orElseThrow();
        }
    }

    private static Result run(Path out) {
        StringWriter err = new StringWriter();
        CommandLine cl = Cli.commandLine(new SessionsCommand());
        cl.setErr(new PrintWriter(err));
        return new Result(cl.execute(SessionsCrashTest.args(in, out.resolve("sessions"), true)), err.toString());
    }

    private record Result(int code, String err) {
    }
}
