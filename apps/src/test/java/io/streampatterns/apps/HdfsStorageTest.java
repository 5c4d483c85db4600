package io.streampatterns.apps;

import io.streampatterns.apps.cli.Cli;
import io.streampatterns.apps.ingest.IngestCommand;
import io.streampatterns.apps.sessions.SessionsCommand;
import io.streampatterns.apps.show.ShowCommand;
import io.streampatterns.apps.state.StateCommand;
import io.streampatterns.core.Storage;
import io.streampatterns.testkit.ChildJvm;
import io.streampatterns.testkit.InputFiles;
import io.streampatterns.testkit.TestDepth;
import io.streampatterns.testkit.TestSpark;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
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
 * Tables and checkpoints on a real HDFS (a MiniDFSCluster in this JVM, one datanode): {@code ingest} and
 * {@code sessions} write to {@code hdfs://} locations from a child JVM that is killed with SIGKILL mid-run and run
 * again, and their tables hold exactly the rows of an uninterrupted run on the local disk; {@code state} and
 * {@code show} read the {@code hdfs://} checkpoint and table and print what they print for the local ones.
 */
class HdfsStorageTest {
    @TempDir
    static Path tmp;
    static MiniDFSCluster hdfs;
    static URI root;

    @BeforeAll
    static void startHdfs() throws Exception {
        Configuration conf = new Configuration();
        // the datanode and the namenode listen on loopback only, ports chosen by the OS
        conf.set("dfs.namenode.rpc-bind-host", "127.0.0.1");
        hdfs = new MiniDFSCluster.Builder(conf, tmp.resolve("hdfs").toFile()).numDataNodes(1).build();
        hdfs.waitActive();
        root = URI.create("hdfs://127.0.0.1:" + hdfs.getNameNodePort() + "/streampatterns");
    }

    @AfterAll
    static void stopHdfs() {
        if (hdfs != null) {
            hdfs.shutdown();
        }
    }

    @Test
    void ingestToHdfsKilledAndRestartedHoldsTheRowsOfAnUninterruptedLocalRun() throws Exception {
        Path in = ingestInput(Files.createDirectories(tmp.resolve("ingest-in")));
        Path localLake = tmp.resolve("lake");
        // the reference in one batch: dedup and quarantine do not depend on how the files are batched
        List<String> reference = new ArrayList<>(List.of(ingestArgs(in, localLake.toString(), null, true)));
        reference.removeAll(List.of("--max-files-per-batch", "1"));
        assertEquals(0, Cli.execute(new IngestCommand(), reference.toArray(new String[0])));

        URI lake = Storage.child(root, "lake");
        URI checkpoint = Storage.child(root, "checkpoints/ingest-clicks");
        String[] args = ingestArgs(in, lake.toString(), checkpoint.toString(), false);
        URI lakeLog = Storage.child(Storage.child(lake, "clicks"), "_delta_log");
        killAndRestart("ingest", IngestCommand.class, args, List.of(() -> count(lakeLog, "\\d+\\.json") >= 1,
                () -> count(lakeLog, "\\d+\\.json") >= 2, () -> count(Storage.child(checkpoint, "commits"), "\\d+") >= 3));
        assertEquals(0, Cli.execute(new IngestCommand(), ingestArgs(in, lake.toString(), checkpoint.toString(), true)));

        String lakeRows = "event_id; user_id; type; cast(ts as string); cast(event_date as string)";
        List<String> expected = rows(localLake.resolve("clicks").toUri(), lakeRows);
        assertEquals(36, expected.size(), "good records, each once");
        assertEquals(expected, rows(Storage.child(lake, "clicks"), lakeRows));
        String quarantineRows = "regexp_extract(source, '[^/]+$', 0); reason";
        List<String> expectedBad = rows(localLake.resolve("clicks_quarantine").toUri(), quarantineRows);
        assertEquals(4, expectedBad.size(), "bad records, each once");
        assertEquals(expectedBad, rows(Storage.child(lake, "clicks_quarantine"), quarantineRows));
        assertTrue(Storage.exists(Storage.child(checkpoint, "streampatterns-sink-id")), "the sink id is kept on HDFS");
    }

    @Test
    void sessionsToHdfsKilledAndRestartedThenStateAndShowReadHdfs() throws Exception {
        Path in = sessionsInput(Files.createDirectories(tmp.resolve("sessions-in")));
        Path local = tmp.resolve("sessions");
        assertEquals(0, Cli.execute(new SessionsCommand(), sessionsArgs(in, local.toString(), true)));

        URI output = Storage.child(root, "sessions");
        URI checkpoint = Storage.child(Storage.sibling(output, "_checkpoint"), "sessions");
        URI commits = Storage.child(checkpoint, "commits");
        killAndRestart("sessions", SessionsCommand.class, sessionsArgs(in, output.toString(), false),
                List.of(() -> count(commits, "\\d+") >= 1, () -> count(commits, "\\d+") >= 2, () -> count(commits, "\\d+") >= 5));
        assertEquals(0, Cli.execute(new SessionsCommand(), sessionsArgs(in, output.toString(), true)));

        List<String> expected = rows(local.toUri(), "*");
        assertTrue(expected.size() > 15, "enough sessions: " + expected.size());
        assertEquals(expected, rows(output, "*"));

        String[] localState = run(new StateCommand(), local + "_checkpoint/sessions");
        String[] hdfsState = run(new StateCommand(), Storage.text(checkpoint));
        assertEquals("0", hdfsState[0], hdfsState[2]);
        assertTrue(hdfsState[1].startsWith("checkpoint " + Storage.text(checkpoint) + ", state of batch "), hdfsState[1]);
        assertEquals(localState[1].replace("file:" + local + "_checkpoint/sessions", "CKPT"),
                hdfsState[1].replace(Storage.text(checkpoint), "CKPT"), "state rows per operator and partition");

        String[] localShow = run(new ShowCommand(), local.toString(), "--format", "csv");
        String[] hdfsShow = run(new ShowCommand(), Storage.text(output), "--format", "csv");
        assertEquals("0", hdfsShow[0], hdfsShow[2]);
        assertEquals(sortedLines(localShow[1]), sortedLines(hdfsShow[1]));
        assertEquals(expected.size() + 1, hdfsShow[1].lines().count(), "header and every session");
    }

    /** Runs {@code command} in a child JVM until a kill point holds, then SIGKILL: the middle one, all in the long mode. */
    private static void killAndRestart(String name, Class<?> command, String[] args, List<BooleanSupplier> killPoints) {
        List<BooleanSupplier> points = TestDepth.isLong() ? killPoints : List.of(killPoints.get(1));
        int run = 0;
        for (BooleanSupplier point : points) {
            try (ChildJvm child = ChildJvm.start(tmp.resolve(name + "-run" + run++ + ".log"), command.getName(), args)) {
                assertTrue(child.awaitCondition(point, Duration.ofMinutes(6)), "kill point not reached: " + child.tail());
                child.kill9();
            }
        }
    }

    /** Exit code, standard output (state sizes as N) and error of {@code command args}. */
    private static String[] run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Cli.commandLine(command);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new String[]{String.valueOf(code), out.toString().replaceAll("~\\d+ bytes", "~N bytes")
                .replaceAll("state files \\d+ bytes", "state files N bytes"), err.toString().trim()};
    }

    private static List<String> sortedLines(String text) {
        return text.lines().sorted().toList();
    }

    /** Entries of {@code dir} on HDFS whose name matches {@code regex}. */
    private static long count(URI dir, String regex) {
        return Storage.list(dir).stream().filter(f -> Storage.name(f).matches(regex)).count();
    }

    private static List<String> rows(URI table, String select) {
        List<String> out = new ArrayList<>();
        for (Row r : TestSpark.get().read().format("delta").load(Storage.text(table)).selectExpr(select.split("; "))
                .collectAsList()) {
            out.add(r.mkString("|"));
        }
        out.sort(null);
        return out;
    }

    /** 4 files of 11 records: 1 unparsable and 1 duplicate id per file. */
    private static Path ingestInput(Path in) throws Exception {
        for (int f = 0; f < 4; f++) {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                int n = f * 10 + i;
                lines.add(click("e" + n, "u" + n % 7, "2024-05-01T10:" + String.format("%02d", n) + ":00Z"));
            }
            lines.add(click("e" + f * 10, "u0", "2024-05-01T10:" + String.format("%02d", f * 10) + ":00Z"));
            lines.add("{\"event_id\":\"bad" + f + "\",\"user_id\":");
            InputFiles.write(in.resolve(String.format("part-%03d.jsonl", f)), lines);
        }
        return in;
    }

    private static String click(String id, String user, String ts) {
        return "{\"event_id\":\"" + id + "\",\"user_id\":\"" + user + "\",\"ts\":\"" + ts
                + "\",\"type\":\"click\",\"page\":\"/p\"}";
    }

    private static String[] ingestArgs(Path in, String lake, String checkpoint, boolean once) {
        List<String> a = new ArrayList<>(List.of("--input", in.toString(), "--format", "jsonl", "--schema", "clickstream",
                "--lake", lake, "--table", "clicks", "--max-files-per-batch", "1"));
        if (checkpoint != null) {
            a.addAll(List.of("--checkpoint", checkpoint));
        }
        if (once) {
            a.add("--once");
        }
        return a.toArray(new String[0]);
    }

    /** 6 files (one micro-batch each) of 30 events of 8 users, out of order, some logouts. */
    private static Path sessionsInput(Path in) throws Exception {
        Random rnd = new Random(11);
        long frontier = Instant.parse("2024-05-01T10:00:00Z").toEpochMilli();
        for (int f = 0; f < 6; f++) {
            frontier += 4 * 60_000L;
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                long t = frontier - rnd.nextInt(12) * 60_000L;
                String type = rnd.nextInt(12) == 0 ? "logout" : "view";
                lines.add("{\"user_id\":\"u" + rnd.nextInt(8) + "\",\"ts\":\"" + Instant.ofEpochMilli(t) + "\",\"type\":\""
                        + type + "\",\"page\":\"/p" + rnd.nextInt(5) + "\"}");
            }
            InputFiles.write(in.resolve(String.format("part-%03d.jsonl", f)), lines);
        }
        return in;
    }

    private static String[] sessionsArgs(Path in, String output, boolean once) {
        List<String> a = new ArrayList<>(List.of("--input", in.toString(), "--format", "jsonl", "--key", "user_id",
                "--time", "ts", "--gap", "5m", "--max-duration", "20m", "--close-when", "type = 'logout'",
                "--watermark", "6m", "--mode", "update", "--output", output, "--max-files-per-batch", "1"));
        if (once) {
            a.add("--once");
        }
        return a.toArray(new String[0]);
    }
}
