package io.streampatterns.apps.cli;

import io.streampatterns.apps.sessions.SessionsCommand;
import io.streampatterns.testkit.ChildJvm;
import io.streampatterns.testkit.InputFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a user of the command line sees when a command fails (issue 16): one line saying what failed and where the
 * full trace is; Spark's own log (start-up warnings, failing tasks) only in that log file, unless {@code --verbose}.
 * Each run is a JVM of its own started through the command's {@code main}, as {@code bin/streampatterns} does.
 */
class CliOutputTest {
    /** The live progress lines of a run that is not on a terminal. */
    static final Pattern PROGRESS = Pattern.compile("^\\S+ batch \\d+: .*");
    static final Pattern FAILED = Pattern.compile("^failed: (.+) \\(full trace in (\\S+\\.log), or run again with --verbose\\)$");

    @TempDir
    Path dir;

    @Test
    void failingQueryPrintsOneLineAndItsLogFileHoldsSparksLogAndTheTrace() throws IOException {
        Run run = sessions("raise_error('boom-in-a-task') IS NULL");
        assertEquals(1, run.code, run.output);
        List<String> lines = run.linesBesideProgress();
        assertEquals(1, lines.size(), run.output);
        Matcher failed = FAILED.matcher(lines.get(0));
        assertTrue(failed.matches(), lines.get(0));
        assertTrue(failed.group(1).matches("query sessions failed \\(cause: \\[USER_RAISED_EXCEPTION] boom-in-a-task .*\\)"),
                "what failed and its root cause: " + failed.group(1));
        Path log = Path.of(failed.group(2));
        assertEquals(dir.resolve("logs"), log.getParent());
        assertTrue(log.getFileName().toString().matches("sessions-\\d{8}-\\d{6}-\\d+\\.log"), log.toString());
        String logged = Files.readString(log);
        assertTrue(logged.contains("ERROR streampatterns: sessions failed"), "our trace");
        assertTrue(logged.contains("\tat org.apache.spark."), "with its stack");
        assertTrue(logged.contains("ERROR Executor: Exception in task"), "Spark's own log of the failing task");
    }

    @Test
    void verboseShowsSparksLogAndTheTraceOnTheTerminal() throws IOException {
        Run run = sessions("raise_error('boom-in-a-task') IS NULL", "--verbose");
        assertEquals(1, run.code, run.output);
        assertTrue(run.output.contains("ERROR Executor: Exception in task"), run.output);
        assertTrue(run.output.contains("ERROR streampatterns: sessions failed"), run.output);
        assertTrue(run.output.lines().filter(l -> l.startsWith("\tat ")).count() > 20, run.output);
    }

    @Test
    void configurationErrorFoundAfterSparkStartedIsOneLineWithExitCode2() throws IOException {
        Run run = sessions("no_such_column = 1");
        assertEquals(Cli.CONFIG_ERROR, run.code, run.output);
        List<String> lines = run.output.lines().toList();
        assertEquals(1, lines.size(), run.output);
        assertTrue(lines.get(0).startsWith("error: sessions: bad close predicate 'no_such_column = 1': "), lines.get(0));
    }

    /** {@code sessions --once} over two events, with the close predicate {@code closeWhen}, in a JVM of its own. */
    private Run sessions(String closeWhen, String... more) throws IOException {
        Path in = dir.resolve("in");
        if (!Files.isDirectory(in)) {
            InputFiles.write(Files.createDirectories(in).resolve("1.jsonl"), List.of(
                    "{\"user_id\":\"u1\",\"ts\":\"2024-05-01T10:00:00Z\",\"amount\":1.5}",
                    "{\"user_id\":\"u2\",\"ts\":\"2024-05-01T10:01:00Z\",\"amount\":2.5}"));
        }
        List<String> args = new ArrayList<>(List.of("--input", in.toString(), "--format", "jsonl", "--key", "user_id",
                "--time", "ts", "--gap", "30m", "--watermark", "10m", "--mode", "append", "--close-when", closeWhen,
                "--output", dir.resolve("out-" + System.nanoTime()).toString(), "--once"));
        args.addAll(List.of(more));
        Path output = dir.resolve("run-" + System.nanoTime() + ".txt");
        try (ChildJvm child = ChildJvm.start(output, List.of("-D" + CliLog.DIR_PROPERTY + "=" + dir.resolve("logs")),
                SessionsCommand.class.getName(), args.toArray(new String[0]))) {
            int code = child.awaitExit(Duration.ofMinutes(3));
            return new Run(code, Files.readString(output));
        }
    }

    /** Exit code and everything the child printed (stdout and stderr). */
    private record Run(int code, String output) {
        List<String> linesBesideProgress() {
            return output.lines().filter(l -> !PROGRESS.matcher(l).matches()).toList();
        }
    }
}
