package io.streampatterns.apps.sessions;

import io.streampatterns.testkit.InputFiles;
import io.streampatterns.apps.cli.Cli;
import io.streampatterns.testkit.TestSpark;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** End to end: {@code sessions} over JSON-lines files, one file per micro-batch, into a Delta table. */
class SessionsCommandTest {
    static String click(String user, String ts, String type, String page) {
        return "{\"user_id\":\"" + user + "\",\"ts\":" + ts + ",\"type\":\"" + type + "\",\"page\":\"" + page + "\"}";
    }

    /** Batches: u1 browses; u1 logs out and comes back, u2's late event moves its start; u3 moves the watermark. */
    static Path input(Path dir) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        InputFiles.write(in.resolve("1.jsonl"), List.of(
                click("u1", "\"2024-05-01T10:00:00Z\"", "view", "/home"),
                click("u1", "\"2024-05-01T10:10:00Z\"", "view", "/cart"),
                click("u2", "\"2024-05-01T10:05:00Z\"", "view", "/home")));
        InputFiles.write(in.resolve("2.jsonl"), List.of(
                click("u1", "\"2024-05-01T10:20:00Z\"", "logout", "/bye"),
                click("u1", "\"2024-05-01T10:30:00Z\"", "view", "/home"),
                click("u2", "1714557480000", "view", "/ad"),            // 09:58 as epoch milliseconds
                "{\"user_id\":\"u9\",\"ts\":"));
        InputFiles.write(in.resolve("3.jsonl"), List.of(click("u3", "\"2024-05-01T11:30:00Z\"", "view", "/home")));
        return in;
    }

    static List<String> table(Path output) {
        List<String> out = new ArrayList<>();
        for (Row r : TestSpark.get().read().format("delta").load(output.toString())
                .selectExpr("key", "date_format(session_start, 'HH:mm')", "date_format(session_end, 'HH:mm')", "event_count",
                        "first_page", "last_page", "is_final", "end_reason")
                .orderBy("key", "session_start").collectAsList()) {
            out.add(r.mkString(" "));
        }
        return out;
    }

    static String[] args(Path in, Path output, String mode) {
        return new String[]{"--input", in.toString(), "--format", "jsonl", "--key", "user_id", "--time", "ts",
                "--gap", "30m", "--close-when", "type = 'logout'", "--watermark", "10m", "--mode", mode,
                "--output", output.toString(), "--once", "--max-files-per-batch", "1"};
    }

    @Test
    void updateModeTableHoldsLatestVersionOfEverySessionAndResumes(@TempDir Path dir) throws Exception {
        Path in = input(dir);
        Path output = dir.resolve("sessions");
        assertEquals(0, Cli.execute(new SessionsCommand(), args(in, output, "update")));
        // the last file moved the watermark to 11:20; AvailableNow runs the no-data batch that closes u1's and u2's sessions
        assertEquals(List.of(
                "u1 10:00 10:20 3 /home /bye true close_event",
                "u1 10:30 11:00 1 /home /home true gap",
                "u2 09:58 10:35 2 /ad /home true gap",
                "u3 11:30 12:00 1 /home /home false gap"), table(output), "u2's first version (10:05) was superseded and deleted");
        assertEquals(1, TestSpark.get().read().format("delta").load(output + "_quarantine").count());

        InputFiles.write(in.resolve("4.jsonl"), List.of(click("u3", "\"2024-05-01T11:40:00Z\"", "view", "/cart")));
        assertEquals(0, Cli.execute(new SessionsCommand(), args(in, output, "update")));
        assertEquals(List.of(
                "u1 10:00 10:20 3 /home /bye true close_event",
                "u1 10:30 11:00 1 /home /home true gap",
                "u2 09:58 10:35 2 /ad /home true gap",
                "u3 11:30 12:10 2 /home /cart false gap"), table(output));
    }

    @Test
    void appendModeTableHoldsEachFinalSessionOnce(@TempDir Path dir) throws Exception {
        Path in = input(dir);
        Path output = dir.resolve("sessions");
        assertEquals(0, Cli.execute(new SessionsCommand(), args(in, output, "append")));
        assertEquals(List.of(
                "u1 10:00 10:20 3 /home /bye true close_event",
                "u1 10:30 11:00 1 /home /home true gap",
                "u2 09:58 10:35 2 /ad /home true gap"), table(output));
    }

    @Test
    void badOptionsExitWithCode2(@TempDir Path dir) throws Exception {
        Path in = input(dir);
        String out = dir.resolve("out").toString();
        assertEquals(2, Cli.execute(new SessionsCommand(), "--input", in.toString(), "--format", "jsonl", "--key", "user_id",
                "--time", "ts", "--gap", "30m", "--watermark", "10m", "--mode", "complete", "--output", out));
        assertEquals(2, Cli.execute(new SessionsCommand(), "--input", in.toString(), "--format", "jsonl", "--key", "user_id",
                "--time", "ts", "--gap", "soon", "--watermark", "10m", "--mode", "update", "--output", out));
        assertEquals(2, Cli.execute(new SessionsCommand(), "--input", in.toString(), "--format", "jsonl", "--key", "user_id",
                "--time", "ts", "--gap", "30m", "--watermark", "10m", "--mode", "update", "--output", out,
                "--close-when", "kind = 'logout'", "--once"));
        assertEquals(2, Cli.execute(new SessionsCommand(), "--input", dir.resolve("missing").toString(), "--format", "jsonl",
                "--key", "user_id", "--time", "ts", "--gap", "30m", "--watermark", "10m", "--mode", "update", "--output", out));
    }
}
