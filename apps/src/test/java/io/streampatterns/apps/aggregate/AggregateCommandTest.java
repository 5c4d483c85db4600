package io.streampatterns.apps.aggregate;

import io.streampatterns.testkit.InputFiles;
import io.streampatterns.apps.cli.Cli;
import io.streampatterns.testkit.TestSpark;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** End to end: {@code aggregate} over JSON-lines files, one file per micro-batch, into a Delta table. */
class AggregateCommandTest {
    static String event(String user, String ts, long ms) {
        return "{\"user\":\"" + user + "\",\"ts\":" + ts + ",\"ms\":" + ms + "}";
    }

    /**
     * Windows of 10 min every 5 min, watermark 5 min. Batch 1 leaves the watermark at 10:01; in batch 2 u2's
     * 10:04 (epoch ms) is behind the newest event but in open windows; batch 2 moves the watermark to 10:16, so
     * u1's 10:02 in batch 3 only has closed windows and is dropped; u3 moves the watermark to 10:35.
     */
    static Path input(Path dir) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        InputFiles.write(in.resolve("1.jsonl"), List.of(
                event("u1", "\"2024-05-01T10:01:00Z\"", 100),
                event("u1", "\"2024-05-01T10:06:00Z\"", 200),
                event("u2", "\"2024-05-01T10:03:00Z\"", 50)));
        InputFiles.write(in.resolve("2.jsonl"), List.of(
                event("u1", "\"2024-05-01T10:21:00Z\"", 300),
                event("u2", "1714557840000", 70),
                "{\"user\":\"u9\",\"ts\":"));
        InputFiles.write(in.resolve("3.jsonl"), List.of(
                event("u1", "\"2024-05-01T10:02:00Z\"", 1),
                event("u3", "\"2024-05-01T10:40:00Z\"", 5)));
        return in;
    }

    static String[] args(Path in, Path output, String mode) {
        return new String[] {"--input", in.toString(), "--format", "jsonl", "--key", "user", "--time", "ts",
                "--value", "ms", "--window", "10m", "--slide", "5m", "--watermark", "5m", "--mode", mode,
                "--output", output.toString(), "--once", "--max-files-per-batch", "1"};
    }

    static List<String> table(Path output) {
        List<String> out = new ArrayList<>();
        for (Row r : TestSpark.get().read().format("delta").load(output.toString())
                .selectExpr("key", "date_format(window_start, 'HH:mm')", "date_format(window_end, 'HH:mm')", "count",
                        "sum", "min", "max", "mean", "variance", "round(stddev, 3)", "distinct", "p50", "p95", "p99")
                .orderBy("key", "window_start").collectAsList()) {
            out.add(r.mkString(" "));
        }
        return out;
    }

    static final List<String> CLOSED = List.of(
            "u1 09:55 10:05 1 100.0 100.0 100.0 100.0 null null 1 100.0 100.0 100.0",
            "u1 10:00 10:10 2 300.0 100.0 200.0 150.0 5000.0 70.711 2 100.0 200.0 200.0",
            "u1 10:05 10:15 1 200.0 200.0 200.0 200.0 null null 1 200.0 200.0 200.0",
            "u1 10:15 10:25 1 300.0 300.0 300.0 300.0 null null 1 300.0 300.0 300.0",
            "u1 10:20 10:30 1 300.0 300.0 300.0 300.0 null null 1 300.0 300.0 300.0",
            "u2 09:55 10:05 2 120.0 50.0 70.0 60.0 200.0 14.142 2 50.0 70.0 70.0",
            "u2 10:00 10:10 2 120.0 50.0 70.0 60.0 200.0 14.142 2 50.0 70.0 70.0");

    @Test
    void appendModeWritesEachClosedWindowOnce(@TempDir Path dir) throws Exception {
        SparkSession spark = TestSpark.get();
        Path in = input(dir);
        Path output = dir.resolve("windows");
        assertEquals(0, Cli.execute(new AggregateCommand(), args(in, output, "append")));
        assertEquals(CLOSED, table(output));
        List<Row> bad = spark.read().format("delta").load(output + "_quarantine").collectAsList();
        assertEquals(1, bad.size());
        assertEquals("{\"user\":\"u9\",\"ts\":", bad.get(0).getAs("raw"));
        assertEquals("unparsable JSON", bad.get(0).getAs("reason"));
        assertTrue(bad.get(0).<String>getAs("source").endsWith("/in/2.jsonl:3"), bad.get(0).toString());
        // one query (one read of the input) writes the windows and the quarantine
        try (var queries = Files.list(Path.of(output + "_checkpoint"))) {
            assertEquals(List.of("windows"), queries.map(q -> q.getFileName().toString()).collect(Collectors.toList()));
        }
    }

    @Test
    void updateModeTableHoldsEveryWindowsCurrentValueAndResumes(@TempDir Path dir) throws Exception {
        TestSpark.get();
        Path in = input(dir);
        Path output = dir.resolve("windows");
        assertEquals(0, Cli.execute(new AggregateCommand(), args(in, output, "update")));
        List<String> expected = new ArrayList<>(CLOSED);
        expected.add("u3 10:35 10:45 1 5.0 5.0 5.0 5.0 null null 1 5.0 5.0 5.0");
        expected.add("u3 10:40 10:50 1 5.0 5.0 5.0 5.0 null null 1 5.0 5.0 5.0");
        assertEquals(expected, table(output));

        InputFiles.write(in.resolve("4.jsonl"), List.of(event("u3", "\"2024-05-01T10:44:00Z\"", 15)));
        assertEquals(0, Cli.execute(new AggregateCommand(), args(in, output, "update")));
        expected.set(7, "u3 10:35 10:45 2 20.0 5.0 15.0 10.0 50.0 7.071 2 5.0 15.0 15.0");
        expected.set(8, "u3 10:40 10:50 2 20.0 5.0 15.0 10.0 50.0 7.071 2 5.0 15.0 15.0");
        assertEquals(expected, table(output));
    }

    /** Issue 15: pane state read with another slide gives wrong counts; the restart is refused before anything runs. */
    @Test
    void aRestartWithAnotherSlideOnTheSameCheckpointIsRefusedNamingTheOption(@TempDir Path dir) throws Exception {
        Path in = input(dir);
        Path output = dir.resolve("windows");
        assertEquals(0, Cli.execute(new AggregateCommand(), args(in, output, "append")));
        String[] changed = args(in, output, "append");
        changed[java.util.Arrays.asList(changed).indexOf("--slide") + 1] = "2m";
        java.io.StringWriter err = new java.io.StringWriter();
        int code = Cli.commandLine(new AggregateCommand()).setErr(new java.io.PrintWriter(err)).execute(changed);
        assertEquals(2, code, err.toString());
        assertEquals("error: --slide changed from 5m to 2m since the checkpoint file:" + output + "_checkpoint/windows was written"
                + " (its aggregate state was built with 5m): run with --slide 5m, or start over with a new checkpoint directory",
                err.toString().strip());
        assertEquals(CLOSED, table(output), "nothing written");
        assertEquals(0, Cli.execute(new AggregateCommand(), args(in, output, "append")), "the same options still resume");
    }

    @Test
    void configurationErrorsExitWithCode2(@TempDir Path dir) throws Exception {
        TestSpark.get();
        Path in = input(dir);
        String out = dir.resolve("w").toString();
        assertEquals(2, Cli.execute(new AggregateCommand(), "--input", in.toString(), "--format", "csv", "--key", "user",
                "--time", "ts", "--value", "ms", "--window", "10m", "--watermark", "5m", "--mode", "append", "--output", out));
        assertEquals(2, Cli.execute(new AggregateCommand(), "--input", in.toString(), "--format", "jsonl", "--key", "user",
                "--time", "ts", "--value", "ms", "--window", "5m", "--slide", "10m", "--watermark", "5m", "--mode", "append", "--output", out));
        assertEquals(2, Cli.execute(new AggregateCommand(), "--input", in.toString(), "--format", "jsonl", "--key", "user",
                "--time", "ts", "--value", "user", "--window", "10m", "--watermark", "5m", "--mode", "append", "--output", out, "--once"));
        assertEquals(2, Cli.execute(new AggregateCommand(), "--input", in.toString(), "--format", "jsonl", "--key", "user",
                "--time", "ts", "--value", "ms", "--window", "10m", "--watermark", "5m", "--mode", "complete", "--output", out));
    }
}
