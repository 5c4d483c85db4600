package io.streampatterns.apps.ingest;

import io.streampatterns.testkit.TestDepth;
import io.streampatterns.testkit.InputFiles;
import io.streampatterns.testkit.ChildJvm;
import io.streampatterns.testkit.PostgresServer;
import io.streampatterns.testkit.TestSpark;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs {@code ingest} as a child process, kills it with SIGKILL at several points of a multi-batch run, restarts it
 * on the same checkpoint and checks the lake, the quarantine and the warehouse hold every record exactly once.
 */
class IngestCrashTest {
    static final int FILES = 8;
    static final int PER_FILE = 50;

    @Test
    void sigkillAtSeveralPointsThenRestartKeepsEveryRecordExactlyOnce(@TempDir Path dir) throws Exception {
        PostgresServer pg = PostgresServer.shared();
        Path in = Files.createDirectories(dir.resolve("in"));
        int good = 0;
        int bad = 0;
        for (int f = 0; f < FILES; f++) {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < PER_FILE; i++) {
                int n = f * PER_FILE + i;
                if (n % 10 == 7) {
                    lines.add("{\"event_id\":\"bad" + n + "\",\"user_id\":");
                    bad++;
                } else {
                    lines.add(IngestAppTest.click("e" + n, "u" + (n % 13), "2024-05-01T10:" + String.format("%02d", n % 60) + ":00Z", "click"));
                    good++;
                    if (n % 10 == 3) {
                        lines.add(IngestAppTest.click("e" + n, "u" + (n % 13), "2024-05-01T10:" + String.format("%02d", n % 60) + ":00Z", "click"));
                    }
                }
            }
            InputFiles.write(in.resolve(String.format("part-%03d.jsonl", f)), lines);
        }
        Path lake = dir.resolve("lake");
        Path ckpt = lake.resolve("_checkpoints").resolve("clicks");
        String table = "clicks_crash";
        List<String> args = List.of("--input", in.toString(), "--format", "jsonl", "--schema", "clickstream",
                "--lake", lake.toString(), "--table", "clicks", "--max-files-per-batch", "1",
                "--warehouse", pg.jdbcUrl(), "--warehouse-user", pg.user(), "--warehouse-table", table,
                "--compact-every", "3");
        List<BooleanSupplier> killPoints = TestDepth.firstAndLast(List.of(
                () -> ChildJvm.countFiles(lake.resolve("clicks/_delta_log"), "\\d+\\.json") >= 1,
                () -> ChildJvm.countFiles(lake.resolve("clicks_quarantine/_delta_log"), "\\d+\\.json") >= 3,
                () -> ChildJvm.countFiles(ckpt.resolve("commits"), "\\d+") >= 5));
        // each child's log file goes under dir too, so the password check below sees every output of every run
        List<String> logDir = List.of("-Dstreampatterns.logDir=" + dir.resolve("logs"));
        int run = 0;
        for (BooleanSupplier point : killPoints) {
            try (ChildJvm child = ChildJvm.start(dir.resolve("run" + run++ + ".log"), logDir, IngestCommand.class.getName(),
                    withPassword(args, pg))) {
                assertTrue(child.awaitCondition(point, Duration.ofMinutes(6)), "kill point not reached: " + child.tail());
                child.kill9();
            }
        }
        List<String> once = new ArrayList<>(List.of(withPassword(args, pg)));
        once.add("--once");
        try (ChildJvm child = ChildJvm.start(dir.resolve("final.log"), logDir, IngestCommand.class.getName(), once.toArray(new String[0]))) {
            assertEquals(0, child.awaitExit(Duration.ofMinutes(3)), child.tail());
        }

        SparkSession spark = TestSpark.get();
        List<String> ids = new ArrayList<>();
        spark.read().format("delta").load(lake.resolve("clicks").toString()).select("event_id").orderBy("event_id")
                .collectAsList().forEach(r -> ids.add(r.getString(0)));
        assertEquals(good, ids.size(), "lake rows");
        assertEquals(good, ids.stream().distinct().count(), "no duplicate in the lake");
        assertEquals(bad, spark.read().format("delta").load(lake.resolve("clicks_quarantine").toString()).count(), "quarantine rows");
        assertEquals(bad, spark.read().format("delta").load(lake.resolve("clicks_quarantine").toString())
                .select("source").distinct().count(), "no duplicate in the quarantine");
        try (Connection c = pg.connection(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT count(*), count(DISTINCT event_id) FROM " + table)) {
            rs.next();
            assertEquals(good, rs.getLong(1), "warehouse rows");
            assertEquals(good, rs.getLong(2));
        }
        try (Stream<Path> logs = Files.list(dir.resolve("logs"))) {
            assertTrue(logs.count() >= 1, "the children's log files");
        }
        assertEquals(List.of(), filesContaining(dir, pg.password()),
                "the password is in no log, progress line, checkpoint, lake or quarantine file");
    }

    /** Every file under {@code root} whose bytes contain {@code secret}. */
    private static List<Path> filesContaining(Path root, String secret) throws IOException {
        byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).filter(f -> {
                try {
                    return indexOf(Files.readAllBytes(f), needle) >= 0;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void sigtermStopsAfterTheCurrentBatchWithNothingHalfDone(@TempDir Path dir) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        for (int f = 0; f < 6; f++) {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                lines.add(IngestAppTest.click("e" + f + "_" + i, "u" + i, "2024-05-01T10:00:00Z", "click"));
            }
            InputFiles.write(in.resolve(String.format("part-%03d.jsonl", f)), lines);
        }
        Path lake = dir.resolve("lake");
        Path ckpt = lake.resolve("_checkpoints").resolve("clicks");
        try (ChildJvm child = ChildJvm.start(dir.resolve("run.log"), IngestCommand.class.getName(), "--input", in.toString(),
                "--format", "jsonl", "--schema", "clickstream", "--lake", lake.toString(), "--table", "clicks",
                "--max-files-per-batch", "1", "--trigger-interval", "2s")) {
            assertTrue(child.awaitCondition(() -> ChildJvm.countFiles(ckpt.resolve("commits"), "\\d+") >= 2,
                    Duration.ofMinutes(3)), child.tail());
            child.terminate();
            child.awaitExit(Duration.ofMinutes(2));
            assertEquals(ChildJvm.countFiles(ckpt.resolve("offsets"), "\\d+"), ChildJvm.countFiles(ckpt.resolve("commits"), "\\d+"),
                    "every planned batch was committed before the stop: " + child.tail());
        }
    }

    private static String[] withPassword(List<String> args, PostgresServer pg) {
        // the child reads the password from the URL here; in production prefer STREAMPATTERNS_JDBC_PASSWORD
        List<String> out = new ArrayList<>(args);
        int i = out.indexOf("--warehouse") + 1;
        out.set(i, out.get(i) + (out.get(i).contains("?") ? "&" : "?") + "password=" + pg.password());
        return out.toArray(new String[0]);
    }
}
