package io.streampatterns.apps.sessions;

import io.streampatterns.testkit.TestDepth;
import io.streampatterns.testkit.InputFiles;
import io.streampatterns.apps.cli.Cli;
import io.streampatterns.testkit.ChildJvm;
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
import java.util.Random;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs {@code sessions} (update mode, rules that keep events in state) as a child process, kills it with SIGKILL at
 * several points of a multi-batch run, restarts it on the same checkpoint, and checks that the sessions table is
 * identical to the one of an uninterrupted run.
 */
class SessionsCrashTest {
    static final int FILES = 10;

    @Test
    void sigkillAtSeveralPointsThenRestartGivesTheSameSessionsAsAnUninterruptedRun(@TempDir Path dir) throws Exception {
        Path in = input(Files.createDirectories(dir.resolve("in")));
        Path reference = dir.resolve("reference");
        assertEquals(0, Cli.execute(new SessionsCommand(), args(in, reference, true)));

        Path output = dir.resolve("sessions");
        Path commits = Path.of(output + "_checkpoint", "sessions", "commits");
        List<BooleanSupplier> killPoints = TestDepth.firstAndLast(List.of(
                () -> ChildJvm.countFiles(output.resolve("_delta_log"), "\\d+\\.json") >= 2,
                () -> ChildJvm.countFiles(commits, "\\d+") >= 5,
                () -> ChildJvm.countFiles(commits, "\\d+") >= 8));
        int run = 0;
        for (BooleanSupplier point : killPoints) {
            try (ChildJvm child = ChildJvm.start(dir.resolve("run" + run++ + ".log"), SessionsCommand.class.getName(),
                    args(in, output, false))) {
                assertTrue(child.awaitCondition(point, Duration.ofMinutes(6)), "kill point not reached: " + child.tail());
                child.kill9();
            }
        }
        assertEquals(0, Cli.execute(new SessionsCommand(), args(in, output, true)));

        List<String> expected = table(reference);
        assertTrue(expected.size() > 30, "enough sessions: " + expected.size());
        assertEquals(expected, table(output));
    }

    /** 10 files (one micro-batch each) of 40 events of 12 users, out of order, some late, some logouts. */
    static Path input(Path in) throws Exception {
        Random rnd = new Random(7);
        long frontier = Instant.parse("2024-05-01T10:00:00Z").toEpochMilli();
        for (int f = 0; f < FILES; f++) {
            frontier += 4 * 60_000L;
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                long t = frontier - rnd.nextInt(16) * 60_000L;
                String type = rnd.nextInt(12) == 0 ? "logout" : "view";
                lines.add(SessionsCommandTest.click("u" + rnd.nextInt(12), "\"" + Instant.ofEpochMilli(t) + "\"", type, "/p" + rnd.nextInt(5)));
            }
            InputFiles.write(in.resolve(String.format("part-%03d.jsonl", f)), lines);
        }
        return in;
    }

    static String[] args(Path in, Path output, boolean once) {
        List<String> a = new ArrayList<>(List.of("--input", in.toString(), "--format", "jsonl", "--key", "user_id", "--time", "ts",
                "--gap", "5m", "--max-duration", "20m", "--close-when", "type = 'logout'", "--watermark", "6m",
                "--mode", "update", "--output", output.toString(), "--max-files-per-batch", "1"));
        if (once) {
            a.add("--once");
        }
        return a.toArray(new String[0]);
    }

    static List<String> table(Path output) {
        List<String> out = new ArrayList<>();
        for (Row r : TestSpark.get().read().format("delta").load(output.toString()).orderBy("session_id").collectAsList()) {
            out.add(r.mkString(" "));
        }
        return out;
    }
}
