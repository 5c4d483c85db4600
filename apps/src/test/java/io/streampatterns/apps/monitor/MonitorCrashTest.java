package io.streampatterns.apps.monitor;

import io.streampatterns.testkit.InputFiles;
import io.streampatterns.apps.cli.Cli;
import io.streampatterns.apps.generate.Dataset;
import io.streampatterns.apps.generate.Generation;
import io.streampatterns.apps.generate.GeneratorOptions;
import io.streampatterns.apps.generate.OutputOptions;
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
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs {@code monitor} (with the sample alert rules) as a child process, one log file per micro-batch, kills it
 * with SIGKILL at several points, restarts it on the same checkpoints, and checks that every output table is
 * identical to the one of an uninterrupted run: each window, alert and quarantined line written exactly once.
 */
class MonitorCrashTest {
    static final Instant START = Instant.parse("2024-05-01T12:00:00Z");
    /** Minutes (from START) where a log file starts: traffic, 13 silent minutes (a no-traffic alert), traffic that closes the minute 12:20. */
    static final int[] FILE_STARTS = {0, 2, 4, 6, 20, 24};
    /** Lines per file: at most 200 lines in all, so the KLL quantile sketches (k 200) stay exact and repeatable. */
    static final int LINES = 30;
    static final String BAD_LINE = "this is not an access log line";
    static final List<String> TABLES = List.of(MonitorApp.MINUTES, MonitorApp.ENDPOINTS, MonitorApp.SLIDING, MonitorApp.ALERTS);

    @Test
    void sigkillAtSeveralPointsThenRestartWritesEveryTableExactlyOnce(@TempDir Path dir) throws Exception {
        Path in = input(dir);
        Path rules = dir.resolve("rules.yaml");
        try (var yaml = MonitorCrashTest.class.getClassLoader().getResourceAsStream("sample/monitor/rules.yaml")) {
            Files.write(rules, yaml.readAllBytes());
        }
        Path reference = dir.resolve("reference");
        assertEquals(0, Cli.execute(new MonitorCommand(), args(in, reference, rules, true)));

        Path output = dir.resolve("monitor");
        Path metrics = output.resolve("_checkpoints").resolve("metrics").resolve("commits");
        Path alerts = output.resolve("_checkpoints").resolve("alerts").resolve("commits");
        List<BooleanSupplier> killPoints = List.of(
                () -> ChildJvm.countFiles(metrics, "\\d+") >= 1,
                () -> ChildJvm.countFiles(metrics, "\\d+") >= 3 && ChildJvm.countFiles(alerts, "\\d+") >= 1);
        int run = 0;
        for (BooleanSupplier point : killPoints) {
            try (ChildJvm child = ChildJvm.start(dir.resolve("run" + run++ + ".log"), MonitorCommand.class.getName(),
                    args(in, output, rules, false))) {
                assertTrue(child.awaitCondition(point, Duration.ofMinutes(3)), "kill point not reached: " + child.tail());
                child.kill9();
            }
        }
        assertEquals(0, Cli.execute(new MonitorCommand(), args(in, output, rules, true)));

        for (String table : TABLES) {
            assertEquals(table(reference, table), table(output, table), table);
        }
        List<String> expectedAlerts = table(reference, MonitorApp.ALERTS);
        assertTrue(expectedAlerts.stream().anyMatch(a -> a.startsWith("* no-traffic resolved")), "alerts: " + expectedAlerts);
        assertTrue(table(reference, MonitorApp.SLIDING).size() > 50, "sliding windows: " + table(reference, MonitorApp.SLIDING).size());
        List<String> quarantined = quarantine(reference);
        assertEquals(List.of(BAD_LINE + " part-3.log:" + (LINES + 1)), quarantined);
        assertEquals(quarantined, quarantine(output));
    }

    /** Six log files of 30 generated lines (a few seconds of traffic each) at {@link #FILE_STARTS}; one bad line in the fourth. */
    static Path input(Path dir) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        for (int f = 0; f < FILE_STARTS.length; f++) {
            Path gen = dir.resolve("gen" + f);
            Generation.run(Dataset.APACHE_LOGS, GeneratorOptions.seed(20 + f).withStart(START.plus(Duration.ofMinutes(FILE_STARTS[f]))),
                    OutputOptions.of(gen, LINES));
            List<String> lines = new ArrayList<>(Files.readAllLines(gen.resolve("part-00000.log")));
            if (f == 3) {
                lines.add(BAD_LINE);
            }
            InputFiles.write(in.resolve("part-" + f + ".log"), lines);
        }
        return in;
    }

    static String[] args(Path in, Path output, Path rules, boolean once) {
        List<String> a = new ArrayList<>(List.of("--input", in.toString(), "--format", "apache-log", "--output", output.toString(),
                "--rules", rules.toString(), "--max-files-per-batch", "1"));
        if (once) {
            a.add("--once");
        }
        return a.toArray(new String[0]);
    }

    /** Every row of {@code table}, all columns, sorted. */
    static List<String> table(Path output, String table) {
        List<String> out = new ArrayList<>();
        for (Row r : TestSpark.get().read().format("delta").load(output.resolve(table).toString()).collectAsList()) {
            out.add(r.mkString(" "));
        }
        out.sort(String::compareTo);
        return out;
    }

    /** "raw file:line" of the quarantined lines (their ingestion time differs from run to run). */
    static List<String> quarantine(Path output) {
        return TestSpark.get().read().format("delta").load(output.resolve(MonitorApp.QUARANTINE).toString())
                .selectExpr("concat(raw, ' ', regexp_extract(source, '[^/]+$', 0))").as(org.apache.spark.sql.Encoders.STRING())
                .collectAsList();
    }
}
