package io.streampatterns.apps.pipeline;

import io.streampatterns.apps.cli.Cli;
import io.streampatterns.testkit.ChildJvm;
import io.streampatterns.testkit.InputFiles;
import io.streampatterns.testkit.TestSpark;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs {@code run} (continuous, one input file per micro-batch) as a child process, SIGKILLs it while both of its
 * queries are mid-run, finishes with {@code --once}, and checks that every table (and quarantine) equals the one of an
 * uninterrupted run: nothing lost, nothing twice.
 */
class PipelineCrashTest {
    private static final int FILES = 6;

    @Test
    void sigkillMidRunThenRestartGivesTheTablesOfAnUninterruptedRun(@TempDir Path dir) throws Exception {
        Path spec = pipeline(dir);
        input(Files.createDirectories(dir.resolve("in")));
        Path reference = dir.resolve("reference");
        assertEquals(0, Cli.execute(new RunCommand(), spec.toString(), "--storage", reference.toString(), "--once"));

        Path storage = dir.resolve("storage");
        // both queries mid-run: the windowed table has committed two batches while the first one still reads files
        BooleanSupplier midRun = () -> ChildJvm.countFiles(storage.resolve("_checkpoints/per_minute/commits"), "\\d+") >= 2;
        try (ChildJvm child = ChildJvm.start(dir.resolve("run.log"), RunCommand.class.getName(), spec.toString(),
                "--storage", storage.toString())) {
            assertTrue(child.awaitCondition(midRun, Duration.ofMinutes(3)), "kill point not reached: " + child.tail());
            child.kill9();
        }
        assertEquals(0, Cli.execute(new RunCommand(), spec.toString(), "--storage", storage.toString(), "--once"));

        for (String table : List.of("checked", "checked_quarantine", "clicks_quarantine", "per_minute")) {
            List<String> expected = table(reference.resolve(table));
            assertTrue(expected.size() >= FILES, table + ": " + expected.size());
            assertEquals(expected, table(storage.resolve(table)), table);
        }
    }

    private static Path pipeline(Path dir) throws Exception {
        Files.writeString(dir.resolve("spark-pipeline.yml"),
                "name: crash\nstorage: storage\nconfiguration:\n  input: in\nlibraries:\n  - glob:\n      include: '*.sql'\n");
        Files.writeString(dir.resolve(PipelineSpec.OVERLAY),
                "sources:\n  clicks: {path: \"${input}\", format: jsonl, schema: clickstream, max-files-per-batch: 1}\n");
        Files.writeString(dir.resolve("flows.sql"), """
                CREATE STREAMING TABLE checked (CONSTRAINT has_page EXPECT (page IS NOT NULL) ON VIOLATION QUARANTINE)
                AS SELECT event_id, user_id, ts, page FROM STREAM(clicks);

                CREATE STREAMING TABLE per_minute AS
                SELECT window.start AS minute, page, count(*) AS clicks
                FROM STREAM(checked) WATERMARK ts DELAY OF INTERVAL 1 MINUTE
                GROUP BY window(ts, '1 minute'), page;
                """);
        return dir.resolve("spark-pipeline.yml");
    }

    /** 6 files of 30 clicks in event-time order (so no row is late whatever the batches), a few without page, one bad line each. */
    private static void input(Path in) throws Exception {
        long t = Instant.parse("2024-05-01T10:00:00Z").toEpochMilli();
        for (int f = 0; f < FILES; f++) {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                t += 7_000;
                String page = i % 11 == 0 ? "" : ",\"page\":\"/p" + (i % 3) + "\"";
                lines.add("{\"event_id\":\"e" + f + "-" + i + "\",\"user_id\":\"u" + (i % 4) + "\",\"ts\":\""
                        + Instant.ofEpochMilli(t) + "\",\"type\":\"click\"" + page + "}");
            }
            lines.add("{\"event_id\":\"broken-" + f + "\"");
            InputFiles.write(in.resolve(String.format("part-%03d.jsonl", f)), lines);
        }
    }

    private static List<String> table(Path path) {
        List<String> out = new ArrayList<>();
        for (Row r : TestSpark.get().read().format("delta").load(path.toString())
                .drop("quarantined_at", "ingested_at").collectAsList()) {
            out.add(r.mkString(" "));
        }
        out.sort(null);
        return out;
    }
}
