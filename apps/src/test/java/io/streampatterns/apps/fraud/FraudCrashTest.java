package io.streampatterns.apps.fraud;

import io.streampatterns.apps.cli.Cli;
import io.streampatterns.apps.generate.Dataset;
import io.streampatterns.apps.generate.Generation;
import io.streampatterns.apps.generate.GeneratorOptions;
import io.streampatterns.apps.generate.OutputOptions;
import io.streampatterns.testkit.ChildJvm;
import io.streampatterns.testkit.TestSpark;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs {@code fraud} (built-in features) as a child process over generated transactions and labels, one file of each
 * per micro-batch, kills it with SIGKILL twice (after a model version was written, and after more batches were
 * committed), resumes it, and compares with an uninterrupted run: the same scores with the same model versions, and
 * the same continuous history of model versions, state for state.
 */
class FraudCrashTest {
    @Test
    void sigkillThenRestartGivesTheScoresAndModelHistoryOfAnUninterruptedRun(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in");
        Generation.run(Dataset.TRANSACTIONS, GeneratorOptions.seed(4).withCards(300),
                OutputOptions.of(in, 3_000).withEventsPerFile(500));
        Path reference = dir.resolve("reference");
        Path crashed = dir.resolve("crashed");
        // the uninterrupted and the final run in this JVM (same shuffle partitions as the child): one JVM start less each
        assertEquals(0, Cli.execute(new FraudCommand(), args(in, reference, true)));
        List<BooleanSupplier> killPoints = List.of(
                () -> ChildJvm.countFiles(crashed.resolve("models/_delta_log"), "\\d+\\.json") >= 1,
                () -> ChildJvm.countFiles(crashed.resolve("_checkpoints/fraud/commits"), "\\d+") >= 4);
        int run = 0;
        for (BooleanSupplier point : killPoints) {
            try (ChildJvm child = ChildJvm.start(dir.resolve("run" + run++ + ".log"), FraudCommand.class.getName(),
                    args(in, crashed, false))) {
                assertTrue(child.awaitCondition(point, Duration.ofMinutes(10)), "kill point not reached: " + child.tail());
                child.kill9();
            }
        }
        assertEquals(0, Cli.execute(new FraudCommand(), args(in, crashed, true)));

        SparkSession spark = TestSpark.get();
        List<String> expectedScores = rows(spark, reference, "scores", "tx_id, score, challenger_score, model_version");
        assertEquals(3_000, expectedScores.size(), "every event scored once");
        assertEquals(expectedScores, rows(spark, crashed, "scores", "tx_id, score, challenger_score, model_version"));
        List<String> versions = rows(spark, crashed, "models", "version, batch_id, parent_version");
        assertEquals(rows(spark, reference, "models", "version, batch_id, parent_version"), versions);
        for (int v = 1; v <= versions.size(); v++) {
            assertTrue(versions.get(v - 1).startsWith("[" + v + ","), "versions 1.." + versions.size() + " without a gap: " + versions);
            assertArrayEquals(state(spark, reference, v), state(spark, crashed, v), "state of version " + v);
        }
        assertTrue(versions.size() >= 4, "several versions: " + versions);
        assertEquals(rows(spark, reference, "labels", "id, outcome, batch_id"), rows(spark, crashed, "labels", "id, outcome, batch_id"));
        assertEquals(rows(spark, reference, "evaluation", "window, auc, model_version"),
                rows(spark, crashed, "evaluation", "window, auc, model_version"));
    }

    private static String[] args(Path in, Path out, boolean once) {
        List<String> a = new ArrayList<>(Arrays.asList("--events", in.toString(), "--labels", in.resolve("labels").toString(),
                "--output", out.toString(), "--max-files-per-batch", "1", "--eval-window", "200", "--trigger-interval", "0s"));
        if (once) {
            a.add("--once");
        }
        return a.toArray(new String[0]);
    }

    private static List<String> rows(SparkSession spark, Path out, String table, String columns) {
        List<String> rows = new ArrayList<>();
        String[] cols = columns.split(",\\s*");
        // ordered by every column (numbers as numbers), so both runs compare row for row
        for (Row r : spark.read().format("delta").load(out.resolve(table).toString()).selectExpr(cols)
                .orderBy(cols[0], Arrays.copyOfRange(cols, 1, cols.length)).collectAsList()) {
            rows.add(r.toString());
        }
        return rows;
    }

    private static byte[] state(SparkSession spark, Path out, long version) {
        return (byte[]) spark.read().format("delta").load(out.resolve("models").toString())
                .filter("version = " + version).select("state").first().get(0);
    }
}
